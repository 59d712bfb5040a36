/** Tables of the platform: users, sessions, settings. Booleans are 0/1 integers; times ISO-8601 UTC text. */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  /** Always stored lowercase; unique. */
  email: string;
  name: string;
  role: 'admin' | 'agent';
  locale: 'en' | 'fr' | 'ru';
  /** `scrypt$N$r$p$salt-b64$hash-b64` (platform/auth/password.ts). */
  password_hash: string;
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
}

interface SessionsTable {
  /** SHA-256 (hex) of the random 32-byte token held in the cookie; the token itself is never stored. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

interface SettingsTable {
  key: string;
  /** JSON-encoded value. */
  value: string;
  updated_at: string;
}

export type PlatformTables = {
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
};
