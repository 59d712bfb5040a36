/**
 * What a call centre agent opens in the morning: the missed calls still to return, the calls of today, open
 * tasks and deals, and the team's answer rate. One read model over the calls, tasks and deals tables.
 */
import { type Kysely, sql } from 'kysely';
import { type Actor, refuseApiClient } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { missedNotReturned } from '../../telephony/adapters/missed-call-condition.js';

/** How far back a missed call is still "to return": older ones are for the calls page, not the morning list. */
const MISSED_CALL_WINDOW_DAYS = 14;
/** The answer rate covers the last week. */
const ANSWER_RATE_DAYS = 7;
const MAX_MISSED = 20;
const DAY_MS = 86_400_000;

interface MissedCallToReturn {
  /** The latest missed call from this number. */
  readonly callId: string;
  readonly at: string;
  readonly clientNumber: string | null;
  readonly clientE164: string;
  readonly contact: { readonly id: string; readonly name: string } | null;
  /** How many times this number called and was missed since it was last answered (within the window). */
  readonly attempts: number;
}

export interface Dashboard {
  readonly missedToReturn: MissedCallToReturn[];
  readonly callsToday: { readonly total: number; readonly answered: number; readonly missed: number };
  readonly openTasks: number;
  readonly overdueTasks: number;
  readonly openDeals: { readonly count: number; readonly amount: number };
  /** Inbound calls of the whole team over the last 7 days; rate null when there were none. */
  readonly teamAnswerRate: {
    readonly answered: number;
    readonly total: number;
    readonly rate: number | null;
  };
}

export interface ReadDashboardOptions {
  readonly db: Kysely<Database>;
  readonly actor: Actor;
  /** The start of "today" where the user is (the browser knows its time zone; the server does not). */
  readonly todayFrom: Date;
  readonly now?: Date;
}

/**
 * The signed-in user's dashboard. "Mine" for a missed call: I was the agent, my extension rang, or the caller
 * is a contact I am responsible for — the calls I may read anyway (call-visibility.ts), narrowed to me.
 * A missed inbound call is returned once a later call with the same number connected, in or out (telephony's one rule);
 * one dismissed from the missed-calls list is handled too.
 */
export async function readDashboard(options: ReadDashboardOptions): Promise<Dashboard> {
  const { db, actor } = options;
  refuseApiClient(actor, 'read a dashboard');
  if (actor.kind !== 'user') {
    throw new Error('a dashboard belongs to a signed-in user');
  }
  const me = actor.id;
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - MISSED_CALL_WINDOW_DAYS * DAY_MS).toISOString();
  const todayFrom = options.todayFrom.toISOString();
  const weekFrom = new Date(now.getTime() - ANSWER_RATE_DAYS * DAY_MS).toISOString();
  const nowIso = now.toISOString();

  const [missedRows, today, tasks, deals, team] = await Promise.all([
    db
      .selectFrom('calls as k')
      .leftJoin('contacts as c', 'c.id', 'k.contact_id')
      .leftJoin('call_wrap_ups as w', 'w.call_id', 'k.id')
      .select(['k.id', 'k.started_at', 'k.client_number', 'k.client_e164', 'k.contact_id', 'c.display_name'])
      // Telephony's one "missed and not returned" rule (the missed-calls list, the call log and the statistics
      // read the same), less the calls someone dismissed from the missed-calls list (handled another way).
      .where(missedNotReturned('k'))
      .where('w.missed_dismissed_at', 'is', null)
      .where('k.started_at', '>=', since)
      .where('k.client_e164', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('k.agent_user_id', '=', me),
          eb('c.responsible_user_id', '=', me),
          eb.exists(
            eb
              .selectFrom('extension_assignments as ea')
              .select('ea.extension')
              .where('ea.user_id', '=', me)
              .where(sql<boolean>`k.ringing_extensions like '%"' || ea.extension || '"%'`),
          ),
        ]),
      )
      .orderBy('k.started_at', 'desc')
      .limit(MAX_MISSED * 5)
      .execute(),
    db
      .selectFrom('calls')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('agent_user_id', '=', me)
      .where('started_at', '>=', todayFrom)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('tasks')
      .select([
        (eb) => eb.fn.countAll<number | string>().as('open'),
        (eb) =>
          eb.fn
            .sum<number | string | null>(eb.case().when('due_at', '<', nowIso).then(1).else(0).end())
            .as('overdue'),
      ])
      .where('assignee_id', '=', me)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('deals as d')
      .innerJoin('pipeline_stages as s', 's.id', 'd.stage_id')
      .select([
        (eb) => eb.fn.countAll<number | string>().as('count'),
        (eb) => eb.fn.sum<number | string | null>('d.amount').as('amount'),
      ])
      .where('d.responsible_user_id', '=', me)
      .where('s.kind', '=', 'open')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('calls')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('direction', '=', 'inbound')
      .where('status', 'in', ['answered', 'missed'])
      .where('started_at', '>=', weekFrom)
      .groupBy('status')
      .execute(),
  ]);

  // One line per number: the latest missed call, with how many missed calls it stands for.
  const byNumber = new Map<string, MissedCallToReturn & { attempts: number }>();
  for (const row of missedRows) {
    const e164 = row.client_e164 as string;
    const known = byNumber.get(e164);
    if (known) {
      known.attempts += 1;
      continue;
    }
    byNumber.set(e164, {
      callId: row.id,
      at: row.started_at as string,
      clientNumber: row.client_number,
      clientE164: e164,
      contact: row.contact_id ? { id: row.contact_id, name: row.display_name ?? '' } : null,
      attempts: 1,
    });
  }
  const countOf = (rows: { status: string; n: number | string }[], status: string) =>
    Number(rows.find((r) => r.status === status)?.n ?? 0);
  const teamAnswered = countOf(team, 'answered');
  const teamTotal = teamAnswered + countOf(team, 'missed');
  return {
    missedToReturn: [...byNumber.values()].slice(0, MAX_MISSED),
    callsToday: {
      total: today.reduce((sum, r) => sum + Number(r.n), 0),
      answered: countOf(today, 'answered'),
      missed: countOf(today, 'missed'),
    },
    openTasks: Number(tasks.open),
    overdueTasks: Number(tasks.overdue ?? 0),
    openDeals: { count: Number(deals.count), amount: Number(deals.amount ?? 0) },
    teamAnswerRate: {
      answered: teamAnswered,
      total: teamTotal,
      rate: teamTotal === 0 ? null : teamAnswered / teamTotal,
    },
  };
}
