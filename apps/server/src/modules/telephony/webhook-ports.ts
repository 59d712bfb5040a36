/**
 * Wires the webhook path's ports (ports.ts) to their Kysely/SQLite and Zadarma adapters: what
 * receive-webhook, decide-call-routing and process-webhook-batch run on in the app. The batch's ports are
 * bound to its transaction by the unit of work.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { EventPublisher } from '../../platform/events/event-bus.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import { createKyselyCallTimeline } from './adapters/kysely-call-timeline.js';
import { createKyselyContactLookup } from './adapters/kysely-contact-lookup.js';
import { createKyselyCrmCardReader } from './adapters/kysely-crm-card-reader.js';
import { createKyselyExtensionDirectory } from './adapters/kysely-extension-directory.js';
import { claimStrandedInboxEntries, createInboxRepository } from './adapters/kysely-inbox-repository.js';
import { createKyselyRecordingNotices } from './adapters/kysely-recording-repository.js';
import { createKyselyUnitOfWork } from './adapters/kysely-unit-of-work.js';
import { beatServerInstance, INSTANCE_LEASE_MS } from './adapters/server-instances.js';
import { systemClock } from './adapters/system-clock.js';
import { zadarmaProviderEvents } from './adapters/zadarma/zadarma-call-event.js';
import type { CallProcessingPorts, Clock, TelephonySettingsReader } from './ports.js';
import type { TelephonyServices } from './telephony-services.js';
import type { WebhookPorts } from './use-cases/receive-webhook.js';

/** Replacements for tests (a failing lookup inside a batch, a slow blacklist, a chosen clock). */
export interface WebhookPortsOverrides {
  readonly clock?: Clock;
  /** Wraps the ports of every unit of work (tests: a failure on demand inside a batch). */
  readonly processing?: (ports: CallProcessingPorts) => CallProcessingPorts;
  /** The queue NOTIFY_RECORD's fetch job goes to, in the batch's transaction (none: the recording is only registered). */
  readonly jobs?: JobQueue | null;
}

/** The webhook path's ports over the app's shared services. Why: one composition point for the module and tests. */
export function createWebhookPorts(
  services: TelephonyServices,
  overrides: WebhookPortsOverrides = {},
): WebhookPorts {
  const { database, runtime, bus } = services;
  const { db, sqlite } = database;
  const settings: TelephonySettingsReader = {
    webhookSettings: () => runtime.settings(),
    defaultCountry: () => services.defaultCountry(),
    timezone: () => services.timezone(),
    notePreviousSecretUse: () => runtime.notePreviousSecretUse(),
  };
  const wrap = overrides.processing ?? ((ports: CallProcessingPorts) => ports);
  const bind = (trx: Kysely<Database>, publisher: EventPublisher): CallProcessingPorts =>
    wrap({
      // On SQLite the prepared statements run on the one connection, so they read inside the transaction.
      calls: services.calls.within(trx),
      inbox: createInboxRepository(trx, { sqlite }),
      contacts: createKyselyContactLookup(trx, sqlite),
      cards: createKyselyCrmCardReader(trx),
      directory: createKyselyExtensionDirectory(trx, sqlite),
      callbacks: { match: (input) => services.callbacks.match(input, trx) },
      timeline: createKyselyCallTimeline(trx),
      recordings: createKyselyRecordingNotices(trx, overrides.jobs ?? null),
      publisher,
    });
  const instanceId = runtime.instanceId;
  return {
    inbox: services.inbox,
    ...(services.inboxStored ? { inboxStored: services.inboxStored } : {}),
    claims: {
      instanceId,
      leaseMs: INSTANCE_LEASE_MS,
      beat: (at) => beatServerInstance(db, instanceId, at),
      claim: (query) => claimStrandedInboxEntries(db, { instanceId, ...query }),
    },
    settings,
    provider: zadarmaProviderEvents,
    clock: overrides.clock ?? systemClock,
    // The PBX's clock: the simulator's virtual one in demo mode (it may run faster than real time).
    pbxClock: { now: () => (runtime.simulator ? runtime.simulator.now() : Date.now()) },
    contacts: createKyselyContactLookup(db, sqlite),
    directory: createKyselyExtensionDirectory(db, sqlite),
    blacklist: services.blacklist,
    unitOfWork: createKyselyUnitOfWork({ db, bus, bind }),
  };
}
