// A forged NOTIFY_INTERNAL over real HTTP, with a valid signature, on both databases (docs/zadarma-protocol.md §5.9):
// NOTIFY_INTERNAL signs only caller_id, called_did and call_start, so a captured signature of a real call verifies
// a NOTIFY_INTERNAL naming any extension under a made-up pbx_call_id. It is stored, but it pops no card, and its
// extension does not join the call's ringing extensions (which a tab's restore and the call workspace read).
import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import { openSse, postSignedWebhook, useTelephonyTest } from './test-support/test-telephony.js';

const NUMBER = '442037691999';

type Data = { pbxCallId?: string };

describe.each(TEST_DIALECTS)('a forged NOTIFY_INTERNAL on %s', (dialect) => {
  const t = useTelephonyTest(dialect);

  it('pops no card when a real call’s signature is replayed under a made-up call id for another extension', async () => {
    const tom = await openSse(t.url, t.cookieOf(t.agent2));
    try {
      const { pbxCallId } = t.sim.placeInbound({
        from: '+33698760011',
        to: NUMBER,
        answer: '101',
        ringSeconds: 1,
        talkSeconds: 2,
      });
      await t.settle(t.sim, pbxCallId);
      const real = await t.live.adapters.calls.get(pbxCallId);
      const forgedId = `in_${'f0'.repeat(20)}_${dialect}`;
      const fields = {
        event: 'NOTIFY_INTERNAL',
        call_start: real?.callStart ?? '',
        pbx_call_id: forgedId,
        caller_id: real?.callerId ?? '',
        called_did: real?.calledDid ?? '',
        internal: '102',
        calltype: 'normal',
      };
      const posted = await postSignedWebhook(t.url, fields);
      // The signature is valid: the notification is stored and processed like any other.
      expect(posted.status).toBe(200);
      // A real call ringing Tom afterwards: once its card is on Tom's stream, the forged one would be before it.
      const control = t.sim.placeInbound({
        from: '+33698760012',
        to: NUMBER,
        answer: '102',
        ringSeconds: 1,
        talkSeconds: 1,
      });
      await tom.waitFor(
        (m) => m.event === 'call.ringing' && (m.data as Data).pbxCallId === control.pbxCallId,
        15_000,
      );
      await t.settle(t.sim, control.pbxCallId);
      const forged = await t.live.adapters.calls.get(forgedId);
      expect(tom.messages.filter((m) => (m.data as Data).pbxCallId === forgedId)).toEqual([]);
      // Kept (the inbox shows it) but marked, and 102 is not among the extensions it rang: a tab of Tom's
      // reconnecting, or Tom opening the call's card, finds nothing — as if the forged notification never rang him.
      expect(forged?.status).toBe('ringing');
      expect(forged?.ringingExtensions).toEqual([]);
      expect(forged?.events).toEqual([expect.objectContaining({ extension: '102', untrusted: true })]);
      const live = await fetch(`${t.url}/api/calls/${forged?.id}/live`, {
        headers: { cookie: t.cookieOf(t.agent2) },
      });
      expect(live.status).toBe(404);
    } finally {
      tom.close();
    }
  }, 60_000);
});
