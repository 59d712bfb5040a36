import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { purgeExpired } from '../adapters/inbox-retention.js';
import { postSignedWebhook, useTelephonyTest } from '../test-support/test-telephony.js';

const FLOOD = 120;
const BODY_BYTES = 200 * 1024;
const PREFIX_LIMIT = 256;

/** Now as Zadarma writes `call_start` (the test account's timezone is UTC). */
function zadarmaNow(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

/** A hostile body of `bytes`, unique per request so no layer could deduplicate it. */
function hostileBody(i: number, bytes: number): string {
  const head = `event=NOTIFY_START&pbx_call_id=in_flood_${i}&pad=`;
  return head + 'A'.repeat(bytes - head.length);
}

describe.each(TEST_DIALECTS)('a flood of refused webhooks on %s', (dialect) => {
  const t = useTelephonyTest(dialect);

  async function storedBytes(): Promise<{ rows: number; bytes: number }> {
    const row = await t.database.db
      .selectFrom('webhook_inbox')
      .select([sql<number>`count(*)`.as('rows'), sql<number>`coalesce(sum(length(body)), 0)`.as('bytes')])
      .where('status', '=', 'rejected')
      .executeTakeFirstOrThrow();
    return { rows: Number(row.rows), bytes: Number(row.bytes) };
  }

  it('keeps only a prefix, the size and a hash of each refused request, and the purge removes them', async () => {
    const before = await storedBytes();
    const statuses: number[] = [];
    // Half forged (a Signature that does not match), half unsigned; 8 at a time over real HTTP.
    for (let start = 0; start < FLOOD; start += 8) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, k) => {
          const i = start + k;
          const res = await fetch(`${t.url}/zadarma`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...(i % 2 === 0 ? { signature: 'Zm9yZ2Vk' } : {}),
            },
            body: hostileBody(i, BODY_BYTES),
          });
          statuses.push(res.status);
          await res.arrayBuffer();
        }),
      );
    }
    const judged = statuses.filter((s) => s === 400 || s === 403).length;
    const unread = statuses.filter((s) => s === 429).length;
    expect(judged + unread).toBe(FLOOD);
    // Once the source's refusals spend its budget, its large bodies are refused unread (refusal-budget.ts).
    expect(unread).toBeGreaterThan(0);
    const after = await storedBytes();
    expect(after.rows - before.rows).toBe(judged);
    // 120 × 200 KiB = 23 MiB sent; at most a prefix of each judged one is kept, nothing of the others.
    expect(after.bytes - before.bytes).toBeLessThanOrEqual(judged * PREFIX_LIMIT);
    // The same source's real (small) notifications are still read, verified and acknowledged.
    const fields = {
      event: 'NOTIFY_START',
      call_start: zadarmaNow(),
      pbx_call_id: `in_after_flood_${dialect}`,
      caller_id: '33612345678',
      called_did: '442037691999',
    };
    const genuine = await postSignedWebhook(t.url, fields);
    expect(genuine.status).toBe(200);
    const sample = await t.database.db
      .selectFrom('webhook_inbox')
      .select(['body', 'body_size', 'body_sha256'])
      .where('status', '=', 'rejected')
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(Number(sample.body_size)).toBe(BODY_BYTES);
    expect(sample.body_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sample.body.length).toBeLessThanOrEqual(PREFIX_LIMIT);

    // Past the refused-request retention period (7 days by default), the scheduled purge deletes them all.
    const later = new Date(Date.now() + 8 * 86_400_000);
    const purged = await purgeExpired(t.database.db, { now: later });
    expect(purged.refused).toBeGreaterThanOrEqual(judged);
    expect((await storedBytes()).rows).toBe(0);
  }, 120_000);
});
