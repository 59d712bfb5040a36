/**
 * Tables of telephony: the webhook inbox, folded call records, extension ↔ user assignments, the blacklist, and
 * the `events` log behind the event bus (SSE replay). The telephony settings are rows of `settings` (migration
 * 0009, platform/settings/).
 * Booleans are 0/1 integers; times ISO-8601 UTC text (timestamptz on PostgreSQL); JSON columns are text.
 */
import type { Generated } from 'kysely';

type InboxStatus = 'received' | 'processed' | 'failed' | 'rejected';

export interface WebhookInboxTable {
  id: string;
  received_at: string;
  remote_ip: string | null;
  /** The `event` field as sent (`NOTIFY_START`, …); `''` when the body had none. */
  event: string;
  pbx_call_id: string | null;
  /**
   * The body exactly as received (text), for replay and audits; for a `rejected` entry only its first bytes
   * (see `body_size`, `body_sha256`).
   */
  body: string;
  content_type: string | null;
  signature_valid: number;
  status: InboxStatus;
  error: string | null;
  processed_at: string | null;
  /** Bytes of the body as received (migration 0006); null for older rows. */
  body_size: number | null;
  /** Hex SHA-256 of the whole body as received, set for `rejected` entries (migration 0006). */
  body_sha256: string | null;
  /** The server instance that received it (server_instances.id); null before migration 0007. */
  instance_id: string | null;
  /**
   * How our reply to this NOTIFY_START refused the caller (`blacklist` or `hangup`, migration 0030), stored before
   * the reply left; null for every other entry. Processing and replay fold the call from it.
   */
  routing_refusal: string | null;
}

export interface CallsTable {
  id: string;
  pbx_call_id: string;
  direction: string;
  status: string;
  call_start: string | null;
  started_at: string | null;
  caller_id: string | null;
  destination: string | null;
  client_number: string | null;
  /** The client number in E.164 when it normalises (set by the linking use case); indexed. */
  client_e164: string | null;
  did_number: string | null;
  /** JSON array of extensions offered. */
  ringing_extensions: string;
  origin_extension: string | null;
  answered_at: string | null;
  answered_by: string | null;
  disposition: string | null;
  duration: number | null;
  status_code: string | null;
  ended_at: string | null;
  is_recorded: number;
  /** JSON array of `call_id_with_rec`. */
  recording_ids: string;
  calltype: string | null;
  /** JSON array of the distinct domain events folded into this record (modules/telephony/domain/call-event.ts). */
  events: string;
  contact_id: string | null;
  agent_user_id: string | null;
  /** `callOutcome` of the record (domain/call-outcome.ts). */
  outcome: string | null;
  /** The attributed extension (domain/call-attribution.ts); null when `unrouted`. */
  agent_extension: string | null;
  /** The attribution rule; null only for rows folded before migration 0011 (derived at start-up). */
  attribution_rule: string | null;
  wait_seconds: number | null;
  /** On a missed inbound call: the start of the first connected call with the same client after it (0017). */
  return_at: string | null;
  /** 'in' (the client called back) or 'out' (we did) with `return_at`; null otherwise. */
  return_direction: string | null;
  /** Incremented on every change, for optimistic clients and SSE patches. */
  version: number;
  created_at: string;
  updated_at: string;
}

/** The after-call work recorded on a call (migration 0015): its outcome, a missed call dismissed. */
interface CallWrapUpsTable {
  call_id: string;
  /** What the agent recorded after the call (`connected`, `left_message`…), null until then. */
  outcome: string | null;
  outcome_by: string | null;
  outcome_at: string | null;
  /** Set when a user dismissed the missed call from the "missed calls" list (a returned call needs no mark). */
  missed_dismissed_by: string | null;
  missed_dismissed_at: string | null;
}

interface ExtensionAssignmentsTable {
  extension: string;
  user_id: string;
  created_at: string;
}

export interface BlacklistTable {
  id: string;
  e164: string;
  reason: string;
  created_by: string | null;
  created_at: string;
  /** 1: every number starting with `e164` is blocked (migration 0013). */
  is_prefix: Generated<number>;
  /** After this the entry blocks nothing; null: never expires. */
  expires_at: string | null;
  /** Calls this entry refused. */
  blocked_calls: Generated<number>;
  last_blocked_at: string | null;
}

export interface EventsTable {
  /** Monotonically increasing: the SSE `id:` and `Last-Event-ID`. */
  id: Generated<number>;
  topic: string;
  /** JSON payload. */
  payload: string;
  created_at: string;
}

/** One row per running server instance: a stale heartbeat lets others take over its unprocessed entries. */
interface ServerInstancesTable {
  id: string;
  started_at: string;
  heartbeat_at: string;
}

/** Statistics per UTC hour × attributed extension × direction × outcome (domain/call-rollup.ts). */
interface CallRollupsTable {
  /** Whole hours since the Unix epoch. */
  hour: number;
  /** '' when the call was attributed to no extension. */
  extension: string;
  direction: string;
  outcome: string;
  calls: number;
  talk_seconds: number;
  wait_seconds: number;
}

/** The same sums per UTC day (`day` = whole days since the epoch) × extension × direction × outcome. */
interface CallRollupsDailyTable {
  day: number;
  extension: string;
  direction: string;
  outcome: string;
  calls: number;
  talk_seconds: number;
  wait_seconds: number;
}

/** The same sums per UTC hour × direction × outcome, all extensions together. */
interface CallRollupsTeamTable {
  hour: number;
  direction: string;
  outcome: string;
  calls: number;
  talk_seconds: number;
  wait_seconds: number;
}

/** Missed calls per UTC hour × attributed extension × fate bucket (domain/missed-call-classification.ts). */
interface CallMissedRollupsTable {
  hour: number;
  extension: string;
  fate: string;
  calls: number;
  /** Seconds from the missed calls to their return, summed (0 for `open`). */
  return_seconds: number;
}

/** The same per UTC day. */
interface CallMissedRollupsDailyTable {
  day: number;
  extension: string;
  fate: string;
  calls: number;
  return_seconds: number;
}

/** The same sums per UTC month (`month` = whole months since January 1970, domain/call-rollup.ts). */
interface CallRollupsMonthlyTable {
  month: number;
  extension: string;
  direction: string;
  outcome: string;
  calls: number;
  talk_seconds: number;
  wait_seconds: number;
}

/** The missed calls' sums per UTC month (migration 0022). */
interface CallMissedRollupsMonthlyTable {
  month: number;
  extension: string;
  fate: string;
  calls: number;
  return_seconds: number;
}

/** The team's calls per UTC hour, narrowed to the trend's and heatmap's counts (migration 0022). */
interface CallTalliesTeamTable {
  hour: number;
  calls: number;
  answered: number;
  inbound: number;
  missed: number;
}

/** Migration 0031: `call_tallies_team` per attributed extension ('' when none). */
interface CallTalliesExtensionTable extends CallTalliesTeamTable {
  extension: string;
}

export type TelephonyTables = {
  call_missed_rollups: CallMissedRollupsTable;
  call_missed_rollups_daily: CallMissedRollupsDailyTable;
  call_rollups: CallRollupsTable;
  call_rollups_daily: CallRollupsDailyTable;
  call_rollups_team: CallRollupsTeamTable;
  call_rollups_monthly: CallRollupsMonthlyTable;
  call_missed_rollups_monthly: CallMissedRollupsMonthlyTable;
  call_tallies_team: CallTalliesTeamTable;
  call_tallies_extension: CallTalliesExtensionTable;
  webhook_inbox: WebhookInboxTable;
  calls: CallsTable;
  call_wrap_ups: CallWrapUpsTable;
  extension_assignments: ExtensionAssignmentsTable;
  blacklist: BlacklistTable;
  events: EventsTable;
  server_instances: ServerInstancesTable;
};
