/**
 * The telephony ports: what use cases need from storage, as interfaces. Kysely adapters live beside the feature
 * (`../*-repository.ts`); use cases and tests depend on these types only.
 */

export * from './ports/after-call.js';
export * from './ports/after-call-jobs.js';
export * from './ports/call-list.js';
export * from './ports/calls.js';
export * from './ports/decision-budget.js';
export * from './ports/history.js';
export * from './ports/inbox-errors.js';
export * from './ports/read-models.js';
export * from './ports/recording-errors.js';
export * from './ports/recordings.js';
export * from './ports/settings.js';
export * from './ports/webhook-path.js';
export * from './ports/workspace-and-dialling.js';
export * from './ports/wrap-up-cards.js';
