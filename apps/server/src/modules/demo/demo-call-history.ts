/**
 * The demo's call history: four weeks of calls for every demo agent — answered, transferred, recorded, missed
 * and returned, missed and never returned, clients calling back — so the call log and the statistics show
 * something true on first start. Deterministic (a seeded PRNG, times relative to `now`), and written through
 * the same path as real calls: Zadarma's notifications, as the webhook adapter hands them to the domain, folded
 * by the call repository (which keeps the statistics rollups in the same transaction), then linked to the
 * contact and agent as the ingest does.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { SessionUser } from '../../platform/http/auth-guards.js';
import { type CallEvent, createTelephonySeeding } from '../telephony/telephony-seeding.js';
import { pick, prng, type Rand } from './demo-random.js';
import { DEMO_EXTENSIONS } from './demo-telephony.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** How far back the history goes. */
const HISTORY_DAYS = 28;
/** The demo number the calls come in on (the simulator's London number, ringing 100–102). */
const DEMO_DID = '442037691999';
const RING_GROUP = ['100', '101', '102'];

interface Client {
  readonly digits: string;
  readonly contactId: string | null;
}

interface PlannedCall {
  readonly pbxCallId: string;
  readonly events: CallEvent[];
  readonly client: Client;
  /** The extension that talked or placed the call (its agent is linked). */
  readonly agentExtension: string | null;
}

/** `YYYY-MM-DD HH:MM:SS`, UTC: the demo account's clock is UTC (the telephony timezone setting's default). */
function callStartText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Notifications of one inbound call, as Zadarma sends them (docs/zadarma-protocol.md §5.7). */
function inboundCall(
  rand: Rand,
  id: string,
  start: number,
  client: Client,
  plan: {
    outcome: 'answered' | 'no answer' | 'busy' | 'cancel' | 'ivr';
    answer: string;
    transferTo: string | null;
  },
): PlannedCall {
  const timing = {
    pbxCallId: id,
    callStart: callStartText(start),
    startedAt: iso(start),
    calltype: 'normal',
  };
  const base = { ...timing, callerId: client.digits, calledDid: DEMO_DID };
  const events: CallEvent[] = [{ kind: 'start', ...base, calltype: null, receivedAt: iso(start) }];
  const ring = 3 + Math.floor(rand() * 22);
  if (plan.outcome !== 'ivr') {
    for (const extension of RING_GROUP) {
      events.push({ kind: 'internal', ...base, extension, receivedAt: iso(start + 1000) });
    }
  }
  let duration = 0;
  let lastInternal: string | null = null;
  let recordingId: string | null = null;
  let endAt = start + ring * 1000;
  if (plan.outcome === 'answered') {
    duration = 20 + Math.floor(rand() * 420);
    events.push({
      kind: 'answer',
      ...timing,
      calltype: null,
      callerId: client.digits,
      destination: plan.answer,
      extension: plan.answer,
      receivedAt: iso(start + ring * 1000),
    });
    lastInternal = plan.answer;
    if (plan.transferTo) {
      events.push({
        kind: 'answer',
        ...timing,
        calltype: null,
        callerId: client.digits,
        destination: plan.transferTo,
        extension: plan.transferTo,
        receivedAt: iso(start + (ring + duration / 2) * 1000),
      });
      lastInternal = plan.transferTo;
    }
    endAt = start + (ring + duration) * 1000;
    recordingId = rand() < 0.7 ? `${Math.floor(start / 1000)}.${id.slice(-7)}` : null;
  } else if (plan.outcome === 'no answer') {
    endAt = start + 20_000;
  }
  events.push({
    kind: 'end',
    ...base,
    extension: plan.outcome === 'answered' ? lastInternal : null,
    lastInternal,
    duration,
    disposition: plan.outcome === 'ivr' ? 'cancel' : plan.outcome,
    statusCode: '16',
    isRecorded: recordingId !== null,
    recordingId,
    receivedAt: iso(endAt),
  });
  if (recordingId) {
    events.push({ kind: 'record', pbxCallId: id, recordingId, receivedAt: iso(endAt + 10_000) });
  }
  return {
    pbxCallId: id,
    events,
    client,
    agentExtension:
      plan.outcome === 'answered' ? lastInternal : plan.outcome === 'ivr' ? null : (RING_GROUP[0] ?? null),
  };
}

/** Notifications of one outbound call placed by `extension`. */
function outboundCall(
  rand: Rand,
  id: string,
  start: number,
  client: Client,
  extension: string,
  answered: boolean,
): PlannedCall {
  const timing = {
    pbxCallId: id,
    callStart: callStartText(start),
    startedAt: iso(start),
    calltype: 'normal',
  };
  const base = { ...timing, callerId: DEMO_DID, destination: client.digits, extension };
  const ring = 4 + Math.floor(rand() * 15);
  const duration = answered ? 30 + Math.floor(rand() * 300) : 0;
  const recordingId = answered && rand() < 0.6 ? `${Math.floor(start / 1000)}.${id.slice(-7)}` : null;
  const events: CallEvent[] = [{ kind: 'out_start', ...base, receivedAt: iso(start) }];
  if (answered) {
    events.push({
      kind: 'answer',
      ...timing,
      calltype: null,
      callerId: DEMO_DID,
      destination: client.digits,
      extension,
      receivedAt: iso(start + ring * 1000),
    });
  }
  const endAt = start + (ring + duration) * 1000;
  events.push({
    kind: 'out_end',
    ...base,
    duration,
    disposition: answered ? 'answered' : 'no answer',
    statusCode: '16',
    isRecorded: recordingId !== null,
    recordingId,
    receivedAt: iso(endAt),
  });
  if (recordingId) {
    events.push({ kind: 'record', pbxCallId: id, recordingId, receivedAt: iso(endAt + 10_000) });
  }
  return { pbxCallId: id, events, client, agentExtension: extension };
}

/** A working-hours instant of day `day` (days back from `now`), weighted to late morning and afternoon. */
function workingInstant(rand: Rand, now: number, day: number): number {
  const midnight = Math.floor((now - day * DAY) / DAY) * DAY;
  const hour = pick(rand, [8, 9, 9, 10, 10, 10, 11, 11, 11, 12, 14, 14, 15, 15, 15, 16, 16, 17, 18]);
  return midnight + hour * 3_600_000 + Math.floor(rand() * 60) * MINUTE + Math.floor(rand() * 60) * 1000;
}

/** Plans the history: a list of calls, each with its notifications, in no particular order. */
function planDemoCallHistory(options: {
  readonly now: Date;
  readonly seed: number;
  readonly clients: readonly Client[];
  readonly agentExtensions: readonly string[];
}): PlannedCall[] {
  const rand = prng(options.seed);
  const now = options.now.getTime();
  const calls: PlannedCall[] = [];
  const agents = options.agentExtensions.length > 0 ? options.agentExtensions : ['101'];
  let n = 0;
  const nextId = (prefix: 'in' | 'out') =>
    `${prefix}_demo${String(++n).padStart(6, '0')}${Math.floor(rand() * 1e8).toString(16)}`;
  const stranger = (): Client => ({
    digits: `336${String(10_000_000 + Math.floor(rand() * 89_999_999))}`,
    contactId: null,
  });
  for (let day = HISTORY_DAYS - 1; day >= 0; day--) {
    const weekday = new Date(now - day * DAY).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const count = weekend ? 2 + Math.floor(rand() * 3) : 14 + Math.floor(rand() * 10);
    for (let i = 0; i < count; i++) {
      const start = workingInstant(rand, now, day);
      if (start > now - 5 * MINUTE) {
        continue;
      }
      const client = rand() < 0.8 && options.clients.length > 0 ? pick(rand, options.clients) : stranger();
      if (rand() < 0.3) {
        calls.push(outboundCall(rand, nextId('out'), start, client, pick(rand, agents), rand() < 0.75));
        continue;
      }
      const r = rand();
      const outcome =
        r < 0.7 ? 'answered' : r < 0.82 ? 'no answer' : r < 0.91 ? 'cancel' : r < 0.96 ? 'busy' : 'ivr';
      const answer = pick(rand, agents);
      const transferTo =
        outcome === 'answered' && rand() < 0.08
          ? (pick(
              rand,
              agents.filter((a) => a !== answer),
            ) ?? null)
          : null;
      calls.push(inboundCall(rand, nextId('in'), start, client, { outcome, answer, transferTo }));
      if (outcome === 'answered') {
        continue;
      }
      // What becomes of the missed call: returned by an agent (quickly, the same day, the next day), the client
      // calling back, or nothing at all.
      const fate = rand();
      const after = (ms: number) => start + ms;
      if (fate < 0.35) {
        calls.push(
          outboundCall(
            rand,
            nextId('out'),
            after((5 + rand() * 25) * MINUTE),
            client,
            pick(rand, agents),
            true,
          ),
        );
      } else if (fate < 0.55) {
        calls.push(
          outboundCall(
            rand,
            nextId('out'),
            after((40 + rand() * 300) * MINUTE),
            client,
            pick(rand, agents),
            true,
          ),
        );
      } else if (fate < 0.62) {
        calls.push(
          outboundCall(
            rand,
            nextId('out'),
            after((26 + rand() * 20) * 60 * MINUTE),
            client,
            pick(rand, agents),
            true,
          ),
        );
      } else if (fate < 0.75) {
        calls.push(
          inboundCall(rand, nextId('in'), after((10 + rand() * 120) * MINUTE), client, {
            outcome: 'answered',
            answer: pick(rand, agents),
            transferTo: null,
          }),
        );
      }
    }
  }
  return calls.filter((c) => Date.parse(c.events[0]?.receivedAt ?? '') < now - MINUTE);
}

/**
 * Writes the demo call history into `db` (a transaction), through the call repository's fold and links.
 * Why: demo mode's call log and statistics must show weeks of realistic calls on first start.
 */
export async function writeDemoCallHistory(
  db: Kysely<Database>,
  options: {
    readonly users: readonly SessionUser[];
    readonly now: Date;
    readonly seed: number;
    /** The raw SQLite connection behind `db` (null on PostgreSQL): the webhook's own prepared fold. */
    readonly sqlite: SQLite.Database | null;
  },
): Promise<number> {
  const phones = await db
    .selectFrom('contact_phones')
    .select(['contact_id', 'e164'])
    .where('e164', 'is not', null)
    .where('position', '=', 0)
    .orderBy('contact_id')
    .limit(120)
    .execute();
  const clients = phones.map((p) => ({ digits: (p.e164 as string).slice(1), contactId: p.contact_id }));
  const userOf = new Map<string, string>();
  for (const { email, extension } of DEMO_EXTENSIONS) {
    const user = options.users.find((u) => u.email === email);
    if (user) {
      userOf.set(extension, user.id);
    }
  }
  const agentExtensions = DEMO_EXTENSIONS.filter((e) => e.email.startsWith('agent')).map((e) => e.extension);
  const calls = planDemoCallHistory({ now: options.now, seed: options.seed, clients, agentExtensions });
  const telephony = createTelephonySeeding(db, options.sqlite);
  for (const call of calls) {
    const agentUserId = call.agentExtension ? (userOf.get(call.agentExtension) ?? null) : null;
    await telephony.recordCall(call.events, { contactId: call.client.contactId, agentUserId });
  }
  return calls.length;
}
