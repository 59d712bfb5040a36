/**
 * Calls described by what a reader filters on — way, outcome, extension, client, start, recording — turned into
 * the notifications Zadarma sends for them (PROTOCOL.md §5.7), and folded through a `CallRepository`. Why: the
 * call log's and the statistics' contract suites seed each adapter through the fold itself, so the columns the
 * fold derives (outcome, attribution, a missed call's return, the rollups) are the adapters' own.
 */
import type { CallEvent } from '../domain/call-event.js';
import type { CallLinks, CallRepository, StoredCall } from '../ports.js';

/** How a call went, as its notifications tell it. */
export type CallKind =
  | 'in_answered'
  | 'in_no_answer'
  | 'in_busy'
  | 'in_cancelled'
  | 'in_ivr_hangup'
  | 'in_blacklisted'
  /** Answered and still being talked: no end yet (`in_progress`, a connected call). */
  | 'in_talking'
  | 'out_answered'
  | 'out_no_answer'
  | 'out_failed'
  /** Only a recording notice arrived: no start time. */
  | 'record_only';

export interface CallSpec {
  /** Unique among the calls; the pbx_call_id is `in_<key>` or `out_<key>`. */
  readonly key: string;
  readonly kind: CallKind;
  /** The start, ISO with whole seconds. */
  readonly at: string;
  /** The client's E.164 number, null: hidden. */
  readonly client: string | null;
  readonly extension: string;
  readonly recorded?: boolean;
  /** Talk seconds of an answered call. */
  readonly talk?: number;
}

const DID = '442037691999';
/** The account's zone is UTC+3 (`call_start` is account-local). */
const ACCOUNT_OFFSET_MS = 3 * 3_600_000;

function pbxCallIdOf(spec: Pick<CallSpec, 'key' | 'kind'>): string {
  return `${spec.kind.startsWith('out_') ? 'out' : 'in'}_${spec.key}`;
}

/** The notifications of one call, each received a few seconds after the last. */
function callEvents(spec: CallSpec): CallEvent[] {
  const pbxCallId = pbxCallIdOf(spec);
  const start = Date.parse(spec.at);
  const receivedAt = (second: number) => new Date(start + second * 1000).toISOString();
  if (spec.kind === 'record_only') {
    return [{ kind: 'record', pbxCallId, recordingId: `rec.${spec.key}`, receivedAt: receivedAt(60) }];
  }
  const callStart = new Date(start + ACCOUNT_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
  const timing = { pbxCallId, callStart, startedAt: new Date(start).toISOString(), calltype: null };
  const number = spec.client === null ? '0' : spec.client.slice(1);
  const ext = spec.extension;
  const talk = spec.talk ?? 42;
  const recorded = spec.recorded === true;
  const outcome = (disposition: string, duration: number) => ({
    duration,
    disposition,
    statusCode: disposition === 'answered' ? '16' : '17',
    isRecorded: recorded,
    recordingId: recorded ? `rec.${spec.key}` : null,
  });
  if (spec.kind.startsWith('out_')) {
    const out = { ...timing, callerId: DID, destination: number, extension: ext };
    const disposition =
      spec.kind === 'out_answered' ? 'answered' : spec.kind === 'out_failed' ? 'failed' : 'no answer';
    return [
      { kind: 'out_start', ...out, receivedAt: receivedAt(0) },
      ...(spec.kind === 'out_answered'
        ? [{ kind: 'answer' as const, ...out, receivedAt: receivedAt(7) }]
        : []),
      {
        kind: 'out_end',
        ...out,
        ...outcome(disposition, spec.kind === 'out_answered' ? talk : 0),
        receivedAt: receivedAt(7 + talk),
      },
    ];
  }
  const inbound = { ...timing, callerId: number, calledDid: DID };
  const events: CallEvent[] = [
    {
      kind: 'start',
      ...inbound,
      ...(spec.kind === 'in_blacklisted' ? { blacklisted: true as const } : {}),
      receivedAt: receivedAt(0),
    },
  ];
  if (spec.kind === 'in_ivr_hangup' || spec.kind === 'in_blacklisted') {
    const disposition = spec.kind === 'in_ivr_hangup' ? 'cancel' : 'busy';
    events.push({
      kind: 'end',
      ...inbound,
      extension: null,
      lastInternal: null,
      ...outcome(disposition, 0),
      receivedAt: receivedAt(9),
    });
    return events;
  }
  events.push({ kind: 'internal', ...inbound, extension: ext, receivedAt: receivedAt(1) });
  const answered = spec.kind === 'in_answered' || spec.kind === 'in_talking';
  if (answered) {
    events.push({
      kind: 'answer',
      ...timing,
      callerId: number,
      destination: ext,
      extension: ext,
      receivedAt: receivedAt(6),
    });
  }
  if (spec.kind === 'in_talking') {
    return events;
  }
  const disposition =
    spec.kind === 'in_answered'
      ? 'answered'
      : spec.kind === 'in_busy'
        ? 'busy'
        : spec.kind === 'in_cancelled'
          ? 'cancel'
          : 'no answer';
  events.push({
    kind: 'end',
    ...inbound,
    extension: ext,
    lastInternal: answered ? ext : null,
    ...outcome(disposition, answered ? talk : 0),
    receivedAt: receivedAt(answered ? 6 + talk : 20),
  });
  return events;
}

/** The E.164 the webhook path would store for a raw number (hidden numbers: none). */
function e164Of(raw: string): string | null {
  const digits = raw.replace(/^\+/, '');
  return /^0*$/.test(digits) ? null : `+${digits}`;
}

/**
 * Folds each call's notifications through `calls` (in the order given, each at its arrival), then sets the
 * links. Returns each stored call by key.
 */
export async function foldCallSpecs(
  calls: Pick<CallRepository, 'applyEvent' | 'link'>,
  specs: readonly (CallSpec & { readonly links?: CallLinks })[],
): Promise<Map<string, StoredCall>> {
  const stored = new Map<string, StoredCall>();
  for (const spec of specs) {
    let call: StoredCall | null = null;
    for (const event of callEvents(spec)) {
      call = (await calls.applyEvent(event, event.receivedAt, { clientE164: e164Of })).call;
    }
    if (!call) {
      throw new Error(`no events for ${spec.key}`);
    }
    if (spec.links) {
      call = (await calls.link(call, spec.links, call.updatedAt)) ?? call;
    }
    stored.set(spec.key, call);
  }
  return stored;
}
