import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { webhookSignature } from '@switchboard/zadarma';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { holdWriteLock } from '../../../test-support/hold-write-lock.js';
import { openTestDatabase } from '../../../test-support/test-database.js';
import type { NewInboxEntry } from '../ports.js';
import { killChildAfterFirstLine } from '../test-support/kill-child-after-first-line.js';
import { SIM_SECRET, useTelephonyTest } from '../test-support/test-telephony.js';
import type { DurableInbox } from './journal-inbox.js';
import { createTelephonyRuntime } from './zadarma/telephony-runtime.js';

const NUMBER = '442037691999';
const CALLER = '33612345678';

/** Now as Zadarma writes it in the account's timezone (`UTC+3` → three hours ahead of UTC). */
function zadarmaNow(timezone: string): string {
  const match = /^UTC([+-]\d+)/.exec(timezone);
  const shifted = new Date(Date.now() + Number(match?.[1] ?? 0) * 3_600_000);
  return shifted.toISOString().slice(0, 19).replace('T', ' ');
}

function signed(fields: Record<string, string>): { body: string; signature: string } {
  return { body: new URLSearchParams(fields).toString(), signature: webhookSignature(fields, SIM_SECRET) };
}

function startFields(pbxCallId: string, callStart: string): Record<string, string> {
  return {
    event: 'NOTIFY_START',
    call_start: callStart,
    pbx_call_id: pbxCallId,
    caller_id: CALLER,
    called_did: NUMBER,
  };
}

function endFields(pbxCallId: string, callStart: string): Record<string, string> {
  return {
    event: 'NOTIFY_END',
    call_start: callStart,
    pbx_call_id: pbxCallId,
    caller_id: CALLER,
    called_did: NUMBER,
    internal: '102',
    duration: '7',
    disposition: 'answered',
    status_code: '16',
    is_recorded: '0',
    call_id_with_rec: '',
  };
}

describe('webhooks while another process holds the SQLite write lock', () => {
  const t = useTelephonyTest('sqlite');
  let file: string;
  let callStart: string;

  beforeAll(async () => {
    file = t.database.sqlite?.name as string;
    callStart = zadarmaNow((await t.live.adapters.settings.accountTimezone()).label);
    await t.runtime.update({ features: { routeToResponsible: true, callerName: true, blacklist: true } });
    const res = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: {
        firstName: 'Jean',
        lastName: 'Dupont',
        phones: [{ raw: '+33 6 12 34 56 78', label: 'mobile' }],
        responsibleUserId: t.agent2.id,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }, 60_000);

  const post = (fields: Record<string, string>) => {
    const { body, signature } = signed(fields);
    return fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', signature },
      body,
    });
  };

  const inboxRows = (pbxCallIds: readonly string[]) =>
    t.database.db
      .selectFrom('webhook_inbox')
      .select(['pbx_call_id', 'event', 'status'])
      .where('pbx_call_id', 'in', [...pbxCallIds])
      .execute();

  it('answers every webhook and /api/health while locked, keeps the loop turning, and processes them all after', async () => {
    const baseline = await post(startFields(`in_unlocked_${randomBytes(4).toString('hex')}`, callStart));
    const expectedReply = await baseline.text();
    expect(JSON.parse(expectedReply)).toMatchObject({ redirect: '102' });

    const holder = await holdWriteLock(file);
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns += 1;
      if (ticking) {
        setImmediate(tick);
      }
    };
    tick();
    const ids = Array.from({ length: 6 }, (_, i) => `in_locked_${i}_${randomBytes(4).toString('hex')}`);
    const starts = await Promise.all(ids.map((id) => post(startFields(id, callStart))));
    const health = await fetch(`${t.url}/api/health`);
    const ends = await Promise.all(ids.map((id) => post(endFields(id, callStart))));
    const turnsWhileLocked = turns;
    const inbox = t.live.adapters.inbox as DurableInbox;
    const journaledWhileLocked = inbox.journaled();
    const rowsWhileLocked = await inboxRows(ids);
    await holder.release();
    ticking = false;

    expect(starts.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(await Promise.all(starts.map((r) => r.text()))).toEqual(ids.map(() => expectedReply));
    expect(ends.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(health.status).toBe(200);
    expect(turnsWhileLocked).toBeGreaterThan(ids.length * 2);
    // All of them went to the journal: the database could not take a single one.
    expect(journaledWhileLocked).toBe(ids.length * 2);
    expect(rowsWhileLocked).toEqual([]);

    await inbox.stored();
    await t.live.ingest.idle();
    const rows = await inboxRows(ids);
    expect(rows).toHaveLength(ids.length * 2);
    expect(rows.every((r) => r.status === 'processed')).toBe(true);
    for (const id of ids) {
      const call = await t.live.adapters.calls.get(id);
      expect(call?.status).toBe('answered');
    }
    expect(inbox.journaled()).toBe(0);
  }, 60_000);

  it('answers 503, never 200, when neither the database nor the journal can store the webhook', async () => {
    const holder = await holdWriteLock(file);
    const journal = `${file}.webhooks-${process.pid}.journal`;
    rmSync(journal, { force: true });
    // A directory where the journal file should be: opening it for append fails.
    mkdirSync(journal);
    try {
      const res = await post(startFields(`in_nowhere_${randomBytes(4).toString('hex')}`, callStart));
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SB_ERR_UNAVAILABLE');
    } finally {
      rmSync(journal, { recursive: true, force: true });
      await holder.release();
    }
    const id = `in_after_${randomBytes(4).toString('hex')}`;
    expect((await post(startFields(id, callStart))).status).toBe(200);
    await t.live.ingest.idle();
    expect(await inboxRows([id])).toEqual([{ pbx_call_id: id, event: 'NOTIFY_START', status: 'processed' }]);
  }, 60_000);
});

describe('a server killed after acknowledging events it had only journaled', () => {
  it('has them processed by the next start', async () => {
    const database = await openTestDatabase('sqlite');
    const file = database.sqlite?.name as string;
    const pbxCallId = `in_killed_${randomBytes(4).toString('hex')}`;
    const callStart = '2026-11-25 10:15:30';
    const entries: NewInboxEntry[] = [startFields, endFields].map((fields) => {
      const f = fields(pbxCallId, callStart);
      return {
        receivedAt: new Date().toISOString(),
        remoteIp: '127.0.0.1',
        event: f.event as string,
        pbxCallId,
        body: new URLSearchParams(f).toString(),
        contentType: 'application/x-www-form-urlencoded',
        signatureValid: true,
        status: 'received',
      };
    });
    const holder = await holdWriteLock(file);
    const acked = await killChildAfterFirstLine(
      new URL('./journal-and-hang.child.ts', import.meta.url),
      [file],
      entries.map((e) => `${JSON.stringify(e)}\n`).join(''),
    );
    expect(acked).toBe('acked 2 journaled 2');
    await holder.release();
    expect(await database.db.selectFrom('webhook_inbox').selectAll().execute()).toEqual([]);

    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const runtime = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox(randomBytes(32)),
      config,
    });
    const app = await buildApp({ config, database, telephony: runtime });
    try {
      await app.ready();
    } finally {
      // Closing waits for the start-up recovery (journal drained, then stranded entries processed).
      await app.close();
      await runtime.close();
    }
    const rows = await database.db
      .selectFrom('webhook_inbox')
      .select(['event', 'status'])
      .where('pbx_call_id', '=', pbxCallId)
      .orderBy('received_at')
      .execute();
    expect(rows.map((r) => r.status)).toEqual(['processed', 'processed']);
    const call = await database.db
      .selectFrom('calls')
      .select('status')
      .where('pbx_call_id', '=', pbxCallId)
      .executeTakeFirst();
    expect(call?.status).toBe('answered');
    await database.cleanup();
  }, 60_000);
});
