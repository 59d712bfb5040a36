/**
 * The statistics of a period, per agent and for the team, from the rollups the fold keeps
 * (domain/call-rollup.ts) and the missed calls' classification (domain/missed-call-classification.ts): calls in
 * and out, answered, missed by reason, answer rate, time to answer, talk time, missed calls classified and time
 * to call back, an hour × weekday heatmap, a daily trend beside the previous period, the outcome breakdown.
 * Every figure is a count over calls the call log lists with the same filters (the attributed extension, the
 * period, the outcome), so the web links each one to the calls behind it.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import {
  type CallOutcome,
  MISSED_OUTCOMES,
  MISSED_REASONS,
  type MissedReason,
} from '../domain/call-outcome.js';
import {
  classOfBucket,
  MISSED_CALL_CLASSES,
  type MissedCallClass,
} from '../domain/missed-call-classification.js';
import type { CallStatisticsReader, LocalHourRun, StatisticsRange } from '../ports.js';
import { type CallReadPolicy, callReadScope } from './call-visibility.js';

const HOUR_MS = 3_600_000;
/** The longest period one request may cover (its previous period is read too). */
const MAX_STATISTICS_DAYS = 366;

interface Figures {
  inbound: number;
  outbound: number;
  /** Inbound calls answered. */
  answered: number;
  outboundAnswered: number;
  /** Inbound calls missed (no answer, busy, cancelled by the caller, hung up in the voice menu). */
  missed: number;
  /** The missed outcomes, and `blacklisted`: inbound calls we refused, beside `missed` but not in it. */
  missedByReason: Record<MissedReason, number>;
  failed: number;
  /** answered / (answered + missed); null without either. */
  answerRate: number | null;
  /** Average seconds an answered inbound caller waited. */
  averageSecondsToAnswer: number | null;
  talkSecondsTotal: number;
  /** Per connected call (inbound answered and outbound answered). */
  talkSecondsAverage: number | null;
  missedClassified: Record<MissedCallClass, number>;
  /** Average seconds from a missed call to our connected call back (returned ones only). */
  averageSecondsToCallBack: number | null;
}

export interface CallStatistics {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly previousFrom: string;
  readonly returnWithinMinutes: number;
  readonly team: Figures;
  readonly agents: { extension: string; figures: Figures }[];
  /** Monday = 0 … Sunday = 6, local hour 0–23. */
  readonly heatmap: { weekday: number; hour: number; inbound: number; missed: number }[];
  readonly daily: {
    day: string;
    calls: number;
    answered: number;
    missed: number;
    previousDay: string;
    previousCalls: number;
    previousAnswered: number;
    previousMissed: number;
  }[];
  readonly outcomes: { direction: 'in' | 'out'; outcome: CallOutcome; calls: number }[];
}

export interface ReadCallStatisticsRequest {
  /** First local day, YYYY-MM-DD. */
  readonly from: string;
  /** Last local day included, YYYY-MM-DD. */
  readonly to: string;
  readonly timeZone: string;
  /** Only this extension's calls (must be readable by the reader). */
  readonly extension?: string;
  readonly returnWithinMinutes: number;
}

function zonedFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  });
}

function partsAt(formatter: Intl.DateTimeFormat, ms: number) {
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(ms))) {
    parts[part.type] = part.value;
  }
  return parts;
}

/** The instant a local calendar day starts in `timeZone` (resolved on its own: DST days are 23 or 25 h). */
function localDayStart(formatter: Intl.DateTimeFormat, day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall;
  // Two passes: the offset at the first guess may differ from the offset at midnight itself.
  for (let i = 0; i < 2; i++) {
    const p = partsAt(formatter, guess);
    const seen = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
    );
    guess = wall - (seen - guess);
  }
  return guess;
}

/** The zone's offset at an instant, in minutes (wall clock minus UTC). */
function offsetMinutes(formatter: Intl.DateTimeFormat, ms: number): number {
  const p = partsAt(formatter, ms);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

const WEEK_HOURS = 168;

/**
 * The UTC hours `[fromHour, toHour)` cut into runs of one offset each (floored to whole hours: an hour counts
 * where its start falls, as the call log's heatmap cells cut it). The zone is asked once a week and at the
 * changes found between (a binary search to the hour), not once an hour: a year costs ~70 lookups, not 8,760.
 * Assumes no zone changes its offset twice within a week.
 */
function offsetRuns(formatter: Intl.DateTimeFormat, fromHour: number, toHour: number): LocalHourRun[] {
  const offsetAt = (hour: number) => Math.floor(offsetMinutes(formatter, hour * HOUR_MS) / 60);
  const runs: LocalHourRun[] = [];
  let start = fromHour;
  while (start < toHour) {
    const offset = offsetAt(start);
    let end = toHour;
    let low = start;
    for (;;) {
      const high = Math.min(low + WEEK_HOURS, toHour - 1);
      if (high <= low) {
        break;
      }
      if (offsetAt(high) === offset) {
        low = high;
        continue;
      }
      // The first hour of another offset is in (low, high].
      let a = low;
      let b = high;
      while (b - a > 1) {
        const m = Math.floor((a + b) / 2);
        if (offsetAt(m) === offset) {
          a = m;
        } else {
          b = m;
        }
      }
      end = b;
      break;
    }
    runs.push({ fromHour: start, toHour: end, offsetHours: offset });
    start = end;
  }
  return runs;
}

/** The runs' hours within `[fromHour, toHour)`. */
function clipRuns(runs: readonly LocalHourRun[], fromHour: number, toHour: number): LocalHourRun[] {
  return runs
    .map((r) => ({ ...r, fromHour: Math.max(r.fromHour, fromHour), toHour: Math.min(r.toHour, toHour) }))
    .filter((r) => r.toHour > r.fromHour);
}

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function emptyFigures(): Figures {
  return {
    inbound: 0,
    outbound: 0,
    answered: 0,
    outboundAnswered: 0,
    missed: 0,
    missedByReason: Object.fromEntries(MISSED_REASONS.map((r) => [r, 0])) as Record<MissedReason, number>,
    failed: 0,
    answerRate: null,
    averageSecondsToAnswer: null,
    talkSecondsTotal: 0,
    talkSecondsAverage: null,
    missedClassified: Object.fromEntries(MISSED_CALL_CLASSES.map((c) => [c, 0])) as Record<
      MissedCallClass,
      number
    >,
    averageSecondsToCallBack: null,
  };
}

/** Accumulators beside the figures, turned into averages at the end. */
interface Acc {
  figures: Figures;
  waitSeconds: number;
  callBackSeconds: number;
  callBacks: number;
}

function acc(map: Map<string, Acc>, key: string): Acc {
  let a = map.get(key);
  if (!a) {
    a = { figures: emptyFigures(), waitSeconds: 0, callBackSeconds: 0, callBacks: 0 };
    map.set(key, a);
  }
  return a;
}

function addCell(
  a: Acc,
  direction: 'in' | 'out',
  outcome: string,
  calls: number,
  talk: number,
  wait: number,
) {
  const f = a.figures;
  if (direction === 'out') {
    f.outbound += calls;
    if (outcome === 'answered') {
      f.outboundAnswered += calls;
    }
  } else {
    f.inbound += calls;
    if (outcome === 'answered') {
      f.answered += calls;
      a.waitSeconds += wait;
    }
    if ((MISSED_OUTCOMES as readonly string[]).includes(outcome)) {
      f.missed += calls;
      f.missedByReason[outcome as MissedReason] += calls;
    } else if (outcome === 'blacklisted') {
      // Refused on purpose: its own reason, out of `missed`, the answer rate and the calls owed a return.
      f.missedByReason.blacklisted += calls;
    }
  }
  if (outcome === 'failed') {
    f.failed += calls;
  }
  f.talkSecondsTotal += talk;
}

function finish(a: Acc): Figures {
  const f = a.figures;
  const connected = f.answered + f.outboundAnswered;
  return {
    ...f,
    answerRate: f.answered + f.missed > 0 ? f.answered / (f.answered + f.missed) : null,
    averageSecondsToAnswer: f.answered > 0 ? a.waitSeconds / f.answered : null,
    talkSecondsAverage: connected > 0 ? f.talkSecondsTotal / connected : null,
    averageSecondsToCallBack: a.callBacks > 0 ? a.callBackSeconds / a.callBacks : null,
  };
}

/**
 * Which extensions `reader` may count: every one for an admin or the system (null), an agent's own only.
 * Why: the figures must not show what the call log would hide.
 */
function visibleExtensions(
  reader: Actor,
  own: string | null,
  asked: string | undefined,
  policy: CallReadPolicy,
): string[] | null {
  if (reader.kind === 'api-client') {
    return [];
  }
  // The call log's rule (call-visibility.ts): what widens an agent's calls widens their figures alike.
  const all = callReadScope(reader, policy).kind === 'all';
  if (all) {
    return asked ? [asked] : null;
  }
  if (own === null || (asked !== undefined && asked !== own)) {
    return [];
  }
  return [own];
}

/**
 * Reads the statistics of a period for `reader`.
 * Why one use case: the page, the API and the browser test's independent computation meet on its figures.
 */
export async function readCallStatistics(
  ports: {
    readonly statistics: CallStatisticsReader;
    /** The reader's own extension (null: none assigned). */
    readonly ownExtension: (userId: string) => Promise<string | null>;
    /** The admins' "agents see all calls" switch (absent: off). */
    readonly policy?: () => Promise<CallReadPolicy>;
  },
  reader: Actor,
  request: ReadCallStatisticsRequest,
): Promise<CallStatistics> {
  const { from, to, timeZone, returnWithinMinutes } = request;
  const days = dayCount(from, to);
  if (!(days >= 1 && days <= MAX_STATISTICS_DAYS)) {
    throw new AppError(
      'SB_ERR_VALIDATION',
      `to: must be on or after from, at most ${MAX_STATISTICS_DAYS} days`,
      [{ path: 'to', message: `must be on or after from, at most ${MAX_STATISTICS_DAYS} days` }],
    );
  }
  const own = reader.kind === 'user' && reader.role !== 'admin' ? await ports.ownExtension(reader.id) : null;
  const policy = (await ports.policy?.()) ?? { agentsSeeAllCalls: false };
  const extensions = visibleExtensions(reader, own, request.extension, policy);
  const formatter = zonedFormatter(timeZone);
  const previousFrom = addDays(from, -days);
  const start = localDayStart(formatter, from);
  const end = localDayStart(formatter, addDays(to, 1));
  const previousStart = localDayStart(formatter, previousFrom);
  // Whole UTC hours: exact for every zone whose offset is whole hours (the rollups' grain).
  const range: StatisticsRange = {
    fromHour: Math.floor(start / HOUR_MS),
    toHour: Math.ceil(end / HOUR_MS),
    extensions,
  };
  const previous: StatisticsRange = {
    fromHour: Math.floor(previousStart / HOUR_MS),
    toHour: range.fromHour,
    extensions,
  };
  // The previous period and this one are contiguous: one run list cut once, one query for both trends.
  const runs = offsetRuns(formatter, previous.fromHour, range.toHour);
  const [byAgent, dayTallies, weekTallies, missed] = await Promise.all([
    ports.statistics.byAgent(range),
    ports.statistics.localTallies(extensions, runs, 'day'),
    ports.statistics.localTallies(extensions, clipRuns(runs, range.fromHour, range.toHour), 'weekHour'),
    ports.statistics.missedFates(range),
  ]);

  const team = acc(new Map(), 'team');
  const agents = new Map<string, Acc>();
  const outcomes = new Map<string, { direction: 'in' | 'out'; outcome: CallOutcome; calls: number }>();
  for (const row of byAgent) {
    addCell(team, row.direction, row.outcome, row.calls, row.talkSeconds, row.waitSeconds);
    addCell(
      acc(agents, row.extension),
      row.direction,
      row.outcome,
      row.calls,
      row.talkSeconds,
      row.waitSeconds,
    );
    const key = `${row.direction}|${row.outcome}`;
    const o = outcomes.get(key) ?? {
      direction: row.direction,
      outcome: row.outcome as CallOutcome,
      calls: 0,
    };
    o.calls += row.calls;
    outcomes.set(key, o);
  }
  // The classes are read, not computed: the fold keeps each missed call's return in a bucket that any
  // window choice maps to exactly (classOfBucket).
  for (const cell of missed) {
    const classification = classOfBucket(cell.fate, returnWithinMinutes);
    for (const a of [team, acc(agents, cell.extension)]) {
      a.figures.missedClassified[classification] += cell.calls;
      if (cell.fate !== 'client' && cell.fate !== 'open') {
        a.callBackSeconds += cell.returnSeconds;
        a.callBacks += cell.calls;
      }
    }
  }

  const dayList = Array.from({ length: days }, (_, i) => addDays(from, i));
  const daily = new Map(
    dayList.map((day, i) => [
      day,
      {
        day,
        calls: 0,
        answered: 0,
        missed: 0,
        previousDay: addDays(previousFrom, i),
        previousCalls: 0,
        previousAnswered: 0,
        previousMissed: 0,
      },
    ]),
  );
  const previousIndex = new Map(dayList.map((day, i) => [addDays(previousFrom, i), day]));
  for (const t of dayTallies) {
    const localDay = new Date(t.key * 86_400_000).toISOString().slice(0, 10);
    const d = daily.get(localDay);
    if (d) {
      d.calls += t.calls;
      d.answered += t.answered;
      d.missed += t.missed;
      continue;
    }
    const current = previousIndex.get(localDay);
    const p = current ? daily.get(current) : undefined;
    if (p) {
      p.previousCalls += t.calls;
      p.previousAnswered += t.answered;
      p.previousMissed += t.missed;
    }
  }
  const heatmap = weekTallies
    .filter((t) => t.inbound !== 0 || t.missed !== 0)
    .map((t) => ({ weekday: Math.floor(t.key / 24), hour: t.key % 24, inbound: t.inbound, missed: t.missed }))
    .sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);

  return {
    from,
    to,
    timeZone,
    previousFrom,
    returnWithinMinutes,
    team: finish(team),
    agents: [...agents.entries()]
      .sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
      .map(([extension, a]) => ({ extension, figures: finish(a) })),
    heatmap,
    daily: [...daily.values()],
    outcomes: [...outcomes.values()].sort((a, b) => b.calls - a.calls),
  };
}
