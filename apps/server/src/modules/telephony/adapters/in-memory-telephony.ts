/**
 * In-memory adapters of the telephony ports, for use-case unit tests (ARCHITECTURE.md: every port has a real
 * adapter and an in-memory one). Same semantics as the Kysely adapters: idempotent `applyEvent`, newest-first lists.
 */
export * from './in-memory-call-store.js';
export * from './in-memory-read-models.js';
export * from './in-memory-settings.js';
export * from './in-memory-webhook-path.js';
export * from './in-memory-wrap-up-cards.js';
