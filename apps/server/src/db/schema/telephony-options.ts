/**
 * The telephony options beyond `telephony_settings` (issue 5's settings page): API base URL, IP allow-list,
 * default responsible user, click-to-call and feature switches, webhook registration time. One row (id 1).
 * Booleans are 0/1 integers; lists are JSON text.
 */
export interface TelephonyOptionsTable {
  /** Always 1: a single row. */
  id: number;
  api_base_url: string | null;
  ip_allow_enabled: number;
  /** JSON array of CIDRs. */
  ip_allow_cidrs: string;
  /** JSON array of proxy addresses/CIDRs whose X-Forwarded-For is trusted. */
  trusted_proxies: string;
  default_responsible_user_id: string | null;
  predicted_callback: number;
  auto_create: number;
  route_to_responsible: number;
  caller_name: number;
  missed_call_tasks: number;
  blacklist: number;
  webhook_registered_at: string | null;
  updated_at: string;
  /** Incremented by every settings write: instances poll it to drop their cached settings (migration 0007). */
  version: number;
  /** The API secret before the last planned rotation, sealed; accepted until `previous_secret_until`. */
  previous_secret_sealed: string | null;
  previous_secret_until: string | null;
  /** Webhooks verified with the previous secret since the rotation (all instances). */
  previous_secret_uses: number;
}

export type TelephonyOptionsTables = {
  telephony_options: TelephonyOptionsTable;
};
