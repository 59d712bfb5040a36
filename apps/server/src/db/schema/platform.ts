/** Tables of the platform: users, sessions, settings. Booleans are 0/1 integers; times ISO-8601 UTC text. */
export type PlatformTables = {};
