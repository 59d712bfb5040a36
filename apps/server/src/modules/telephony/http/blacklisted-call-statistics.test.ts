/**
 * Issue 11's "missed by reason: blacklisted", end to end against the simulator over real HTTP webhooks, on both
 * dialects: the calls our NOTIFY_START reply refused (busy, then hang-up) are counted under `blacklisted` by the
 * statistics and shown as such by the call log — apart from the missed calls owed a return — and an admin's
 * replay of the refused start from the inbox changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { openSse, useTelephonyTest } from '../test-support/test-telephony.js';

const NUMBER = '442037691999';
const SPAMMER = '+33699887766';
const CLIENT = '+33612340009';

describe.each(TEST_DIALECTS)(
  'calls the blacklist refused, in the statistics and the log, on %s',
  (dialect) => {
    const t = useTelephonyTest(dialect);
    const ids: Record<string, string> = {};
    let today: string;

    beforeAll(async () => {
      const added = await t.as(t.admin, {
        method: 'POST',
        url: '/api/telephony/blacklist',
        payload: { number: SPAMMER },
      });
      expect(added.statusCode, added.body).toBe(201);
      await t.runtime.update({ features: { blacklist: true }, blacklistAction: 'busy' });
      const place = async (name: string, from: string) => {
        const { pbxCallId } = t.sim.placeInbound({ from, to: NUMBER, answer: null });
        await t.settle(t.sim, pbxCallId);
        ids[name] = pbxCallId;
      };
      await place('busy', SPAMMER);
      await t.runtime.update({ blacklistAction: 'hangup' });
      await place('hungUp', SPAMMER);
      await place('missed', CLIENT);
      today = new Date().toISOString().slice(0, 10);
    }, 120_000);

    const statistics = async () => {
      const res = await t.as(t.admin, {
        method: 'GET',
        url: `/api/statistics?from=${today}&to=${today}&timeZone=UTC`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const log = async (query: string) => {
      const res = await t.as(t.admin, { method: 'GET', url: `/api/call-log?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { pbxCallId: string; outcome: string }[] }).items;
    };

    it('counts the refused calls under blacklisted, apart from the missed calls owed a return', async () => {
      const stats = await statistics();
      expect(stats.team).toMatchObject({
        inbound: 3,
        missed: 1,
        missedByReason: { no_answer: 1, busy: 0, cancelled: 0, ivr_hangup: 0, blacklisted: 2 },
        missedClassified: { not_returned: 1 },
      });
      expect(stats.outcomes).toContainEqual({ direction: 'in', outcome: 'blacklisted', calls: 2 });
    });

    it('shows them as blacklisted in the call log, and its filter finds exactly them', async () => {
      const outcomes = Object.fromEntries((await log('limit=50')).map((e) => [e.pbxCallId, e.outcome]));
      expect(outcomes).toEqual({
        [ids.busy as string]: 'blacklisted',
        [ids.hungUp as string]: 'blacklisted',
        [ids.missed as string]: 'no_answer',
      });
      const ofQuery = async (q: string) => (await log(q)).map((e) => e.pbxCallId).sort();
      expect(await ofQuery('direction=in&outcome=blacklisted')).toEqual([ids.busy, ids.hungUp].sort());
      expect(await ofQuery('outcome=missed')).toEqual([ids.missed]);
      expect(await ofQuery('notReturned=true')).toEqual([ids.missed]);
    });

    it('keeps a refused call blacklisted when an admin replays its NOTIFY_START from the inbox', async () => {
      const inbox = await t.as(t.admin, { method: 'GET', url: '/api/telephony/inbox?event=NOTIFY_START' });
      expect(inbox.statusCode, inbox.body).toBe(200);
      const start = (inbox.json().items as { id: string; pbxCallId: string }[]).find(
        (e) => e.pbxCallId === ids.busy,
      );
      expect(start).toBeDefined();
      const replay = await t.as(t.admin, {
        method: 'POST',
        url: `/api/telephony/inbox/${start?.id}/replay`,
      });
      expect(replay.statusCode, replay.body).toBe(200);
      expect((await statistics()).team.missedByReason).toMatchObject({ blacklisted: 2, no_answer: 1 });
      expect((await log('outcome=blacklisted')).map((e) => e.pbxCallId).sort()).toEqual(
        [ids.busy, ids.hungUp].sort(),
      );
    });

    it('tells nobody a refused call was missed, while a client’s missed call reaches their responsible user', async () => {
      const contact = async (raw: string) => {
        const res = await t.as(t.admin, {
          method: 'POST',
          url: '/api/contacts',
          payload: {
            firstName: 'Cold',
            lastName: 'Caller',
            phones: [{ raw }],
            responsibleUserId: t.agent1.id,
          },
        });
        expect(res.statusCode, res.body).toBe(201);
      };
      const client = '+33612340010';
      await contact(SPAMMER);
      await contact(client);
      const sse = await openSse(t.url, t.cookieOf(t.agent1));
      try {
        const refused = t.sim.placeInbound({ from: SPAMMER, to: NUMBER, answer: null });
        await t.settle(t.sim, refused.pbxCallId);
        const missed = t.sim.placeInbound({ from: client, to: NUMBER, answer: null, outcome: 'cancel' });
        await t.settle(t.sim, missed.pbxCallId);
        // The client's call is told (the stream works), and the refused one, processed before it, never was.
        await sse.waitFor(
          (m) =>
            m.event === 'call.missed' && (m.data as { pbxCallId?: string }).pbxCallId === missed.pbxCallId,
        );
        const told = sse.messages
          .filter((m) => m.event === 'call.missed')
          .map((m) => (m.data as { pbxCallId?: string }).pbxCallId);
        expect(told).not.toContain(refused.pbxCallId);
      } finally {
        sse.close();
      }
    });
  },
);
