/**
 * The NOTIFY_START refusal stored with its inbox entry (migration 0030): a blacklisted caller's reply leaves only
 * once the refusal is on the entry, a run that dies before processing leaves the next one enough to fold the call
 * as refused, and a refusal that could not be stored is not given (`{}`, the PBX's scenario).
 */
import { formatZadarmaDate } from '@switchboard/zadarma-sim';
import { describe, expect, it } from 'vitest';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { signedWebhookRequest } from '../test-support/webhook-fixtures.js';
import { createIngest, type WebhookRequest } from './receive-webhook.js';

const SECRET = 'in-memory-secret';
const SPAMMER = '33699887766';

async function setUp() {
  const t = createInMemoryWebhookPorts({ timezone: 'UTC+3' });
  await t.blacklist.add({ e164: `+${SPAMMER}` });
  return t;
}

function start(t: Awaited<ReturnType<typeof setUp>>, caller: string, pbxCallId: string): WebhookRequest {
  const fields = {
    event: 'NOTIFY_START',
    call_start: formatZadarmaDate(t.pbxClock.now(), 180),
    pbx_call_id: pbxCallId,
    caller_id: caller,
    called_did: '442037691999',
  };
  return signedWebhookRequest(fields, SECRET);
}

describe('receive-webhook: the refusal stored with its NOTIFY_START', () => {
  it('stores the refusal before the reply, and a run that processes the entry after a crash folds it refused', async () => {
    const t = await setUp();
    const outcome = await createIngest(t.ports).handle(start(t, SPAMMER, 'in_refused_crash'));
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(JSON.parse((outcome as { reply: string }).reply)).toMatchObject({ redirect: 'blacklist' });
    // On the entry before the reply left; `after` (processing) never runs: the process died here.
    const [entry] = await t.inbox.list();
    expect(entry).toMatchObject({ status: 'received', routingRefusal: 'blacklist' });
    // The next run: a new ingest, nothing in memory, recovers what the first one stored.
    expect(await createIngest(t.ports).recover(new Date(t.clock.now() + 60_000).toISOString())).toBe(1);
    expect(await t.calls.get('in_refused_crash')).toMatchObject({ blacklisted: true });
    expect((await t.inbox.get(entry?.id as string))?.status).toBe('processed');
  });

  it('stores nothing more for an ordinary caller: the reply waits for the one append', async () => {
    const t = await setUp();
    let notes = 0;
    const ports = {
      ...t.ports,
      inbox: {
        ...t.ports.inbox,
        noteRoutingRefusal: async () => {
          notes += 1;
        },
      },
    };
    const outcome = await createIngest(ports).handle(start(t, '33612345678', 'in_ordinary'));
    expect(outcome).toMatchObject({ kind: 'accepted' });
    expect(notes).toBe(0);
    expect((await t.inbox.list())[0]?.routingRefusal ?? null).toBeNull();
    if (outcome.kind === 'accepted') {
      await outcome.after();
    }
    expect(await t.calls.get('in_ordinary')).toMatchObject({ blacklisted: false });
  });

  it('answers {} when the refusal could not be stored, and the call is not folded as refused', async () => {
    const t = await setUp();
    const ports = {
      ...t.ports,
      inbox: {
        ...t.ports.inbox,
        noteRoutingRefusal: async () => {
          throw new Error('database is locked');
        },
      },
    };
    const outcome = await createIngest(ports).handle(start(t, SPAMMER, 'in_refusal_unstored'));
    expect(outcome).toMatchObject({ kind: 'accepted', reply: '{}' });
    if (outcome.kind === 'accepted') {
      await outcome.after();
    }
    expect(await t.calls.get('in_refusal_unstored')).toMatchObject({ blacklisted: false });
    const [trace] = t.timeline.routing();
    expect(trace?.reply).toEqual({});
    expect(trace?.reason).toMatch(/refusal not stored: database is locked/);
  });

  it('withdraws a stored refusal answered past the budget: the PBX ran its own scenario', async () => {
    const t = await setUp();
    const note = t.inbox.noteRoutingRefusal.bind(t.inbox);
    const ports = {
      ...t.ports,
      inbox: {
        ...t.ports.inbox,
        noteRoutingRefusal: async (id: string, refusal: Parameters<typeof note>[1]) => {
          if (refusal !== null) {
            t.clock.advance(400); // the write outlasted the whole budget
          }
          return note(id, refusal);
        },
      },
    };
    const outcome = await createIngest(ports, { startBudgetMs: 300 }).handle(
      start(t, SPAMMER, 'in_refusal_late'),
    );
    expect(outcome).toMatchObject({ kind: 'accepted', reply: '{}' });
    if (outcome.kind === 'accepted') {
      await outcome.after();
    }
    expect((await t.inbox.list())[0]?.routingRefusal ?? null).toBeNull();
    expect(await t.calls.get('in_refusal_late')).toMatchObject({ blacklisted: false });
  });
});
