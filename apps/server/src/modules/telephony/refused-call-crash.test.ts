/**
 * A refused call stays refused through a crash (migration 0030): a server answers a blacklisted caller's
 * NOTIFY_START with `redirect: "blacklist"` and is SIGKILLed before processing it; the next start processes the
 * stored entry and folds the call as `blacklisted` — not as an ordinary missed call, which would count as missed
 * and tell the responsible user.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookSignature } from '@switchboard/zadarma';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../../server.js';
import { createBlacklistRepository } from './adapters/kysely-blacklist-repository.js';
import { killChildAfterFirstLine } from './test-support/kill-child-after-first-line.js';

const SECRET = 'crash-secret-0123456789';
const SECRET_KEY = 'cd'.repeat(32);
const SPAMMER = '33699887766';

describe('a refused call after a crash between the reply and processing (SQLite)', () => {
  let dir: string;
  let server: RunningServer | null = null;
  const env = () => ({ DATA_DIR: dir, DEMO: '0', SECRET_KEY, LOG_LEVEL: 'silent' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-refused-crash-'));
    const first = await startServer({ env: env(), port: 0, host: '127.0.0.1' });
    await first.telephony.update({
      apiKey: 'crash-key-0123456789',
      apiSecret: SECRET,
      features: { blacklist: true },
      blacklistAction: 'busy',
    });
    await createBlacklistRepository(first.database.db).add({ e164: `+${SPAMMER}` });
    await first.close();
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the call blacklisted when the next start processes what the killed one answered', async () => {
    const fields = {
      event: 'NOTIFY_START',
      call_start: new Date().toISOString().slice(0, 19).replace('T', ' '),
      pbx_call_id: 'in_refused_killed',
      caller_id: SPAMMER,
      called_did: '442037691999',
    };
    const answered = await killChildAfterFirstLine(
      new URL('./refuse-and-die.child.ts', import.meta.url),
      [dir, SECRET_KEY],
      `${JSON.stringify({ body: new URLSearchParams(fields).toString(), signature: webhookSignature(fields, SECRET) })}\n`,
    );
    expect(JSON.parse(JSON.parse(answered).reply)).toMatchObject({ redirect: 'blacklist' });

    server = await startServer({ env: env(), port: 0, host: '127.0.0.1' });
    const db = server.database.db;
    // Processed by the start-up recovery in the background: polled, never slept.
    await vi.waitFor(
      async () => {
        const entry = await db
          .selectFrom('webhook_inbox')
          .select(['status', 'routing_refusal'])
          .where('pbx_call_id', '=', fields.pbx_call_id)
          .executeTakeFirstOrThrow();
        expect(entry).toEqual({ status: 'processed', routing_refusal: 'blacklist' });
      },
      { timeout: 20_000, interval: 50 },
    );
    // The PBX ends the refused call (busy) with the restarted server, over real HTTP.
    const end = {
      event: 'NOTIFY_END',
      call_start: fields.call_start,
      pbx_call_id: fields.pbx_call_id,
      caller_id: SPAMMER,
      called_did: fields.called_did,
      duration: '0',
      disposition: 'busy',
      status_code: '17',
      is_recorded: '0',
      calltype: 'normal',
    };
    const res = await fetch(`${server.url}/zadarma`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        signature: webhookSignature(end, SECRET),
      },
      body: new URLSearchParams(end).toString(),
    });
    expect(res.status, await res.text()).toBe(200);
    await vi.waitFor(
      async () => {
        const call = await db
          .selectFrom('calls')
          .select(['status', 'outcome'])
          .where('pbx_call_id', '=', fields.pbx_call_id)
          .executeTakeFirstOrThrow();
        // Without the stored refusal the outcome is `busy`: an ordinary missed call, owed a return.
        expect(call).toEqual({ status: 'busy', outcome: 'blacklisted' });
      },
      { timeout: 20_000, interval: 50 },
    );
  }, 60_000);
});
