/**
 * The webhook path's ports all in memory (adapters/in-memory-telephony.ts), wired as the app wires the real
 * ones (webhook-ports.ts), with a handle on each store. Why: the use cases' unit tests run with no database.
 */
import {
  createInMemoryBlacklistRepository,
  createInMemoryCallbackRequests,
  createInMemoryCallerHistory,
  createInMemoryCallRepository,
  createInMemoryCallTimeline,
  createInMemoryContactLookup,
  createInMemoryCrmCardReader,
  createInMemoryEventPublisher,
  createInMemoryExtensionDirectory,
  createInMemoryExtensionPresence,
  createInMemoryInboxClaims,
  createInMemoryInboxRepository,
  createInMemoryRecordingNotices,
  createInMemoryTelephonySettingsReader,
  createInMemoryUnitOfWork,
  createManualClock,
  type InMemoryContact,
} from '../adapters/in-memory-telephony.js';
import { zadarmaProviderEvents } from '../adapters/zadarma/zadarma-call-event.js';
import type { CallbackRequest, CallProcessingPorts, ContactCard, WebhookSettings } from '../ports.js';
import type { WebhookPorts } from '../use-cases/receive-webhook.js';

export interface InMemoryWebhookOptions {
  readonly contacts?: readonly InMemoryContact[];
  readonly cards?: readonly ContactCard[];
  readonly callbackRequests?: readonly CallbackRequest[];
  readonly settings?: Partial<WebhookSettings>;
  readonly timezone?: string;
  /** When Zadarma told `timezone` (default: never; a label other than UTC+0 is confirmed by itself). */
  readonly timezoneLearnedAt?: string;
  /** Wraps the ports of every unit of work (a failure on demand). */
  readonly processing?: (ports: CallProcessingPorts) => CallProcessingPorts;
}

/** Builds the ports and hands back every store for the test to fill and read. */
export function createInMemoryWebhookPorts(options: InMemoryWebhookOptions = {}) {
  const calls = createInMemoryCallRepository();
  const inbox = createInMemoryInboxRepository();
  const contacts = createInMemoryContactLookup(options.contacts);
  const cards = createInMemoryCrmCardReader(options.cards);
  const directory = createInMemoryExtensionDirectory();
  const blacklist = createInMemoryBlacklistRepository();
  const history = createInMemoryCallerHistory();
  const presence = createInMemoryExtensionPresence();
  const timeline = createInMemoryCallTimeline();
  const recordings = createInMemoryRecordingNotices();
  const publisher = createInMemoryEventPublisher();
  const callbacks = createInMemoryCallbackRequests(options.callbackRequests);
  const settings = createInMemoryTelephonySettingsReader({
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.timezone ? { timezone: options.timezone } : {}),
    ...(options.timezoneLearnedAt ? { timezoneLearnedAt: options.timezoneLearnedAt } : {}),
  });
  const clock = createManualClock();
  const pbxClock = createManualClock(clock.now());
  const wrap = options.processing ?? ((ports: CallProcessingPorts) => ports);
  const unitOfWork = createInMemoryUnitOfWork<CallProcessingPorts>({
    publisher,
    stores: [calls, inbox, timeline],
    bind: (staging) =>
      wrap({
        calls,
        inbox,
        contacts,
        cards,
        directory,
        callbacks,
        timeline,
        recordings,
        publisher: staging,
        blacklist,
      }),
  });
  const ports: WebhookPorts = {
    inbox,
    claims: createInMemoryInboxClaims(inbox),
    settings,
    provider: zadarmaProviderEvents,
    clock,
    pbxClock,
    contacts,
    directory,
    blacklist,
    history,
    presence,
    unitOfWork,
  };
  return {
    ports,
    calls,
    inbox,
    contacts,
    directory,
    blacklist,
    history,
    presence,
    timeline,
    recordings,
    publisher,
    settings,
    clock,
    pbxClock,
    unitOfWork,
    /** The ports of processing outside any unit of work (handle-call-* tests). */
    processing: {
      calls,
      inbox,
      contacts,
      cards,
      directory,
      callbacks,
      timeline,
      recordings,
      publisher,
      blacklist,
    } satisfies CallProcessingPorts,
  };
}

/**
 * In-memory webhook ports that record how many events each unit of work folded (`sizes`, one entry per unit run),
 * with `onEvent` called as each is folded (a test's clock advanced, CPU spent). Extension 101 is Olga's.
 * Why: the batch processor's slicing tests all need to see where it cut.
 */
export function createUnitCountingWebhookPorts(
  options: Omit<InMemoryWebhookOptions, 'processing'> & { readonly onEvent?: () => void } = {},
) {
  const sizes: number[] = [];
  let inUnit = 0;
  const t = createInMemoryWebhookPorts({
    ...options,
    processing: (ports) => ({
      ...ports,
      calls: {
        ...ports.calls,
        applyEvent: (...args: Parameters<typeof ports.calls.applyEvent>) => {
          options.onEvent?.();
          inUnit += 1;
          return ports.calls.applyEvent(...args);
        },
      },
    }),
  });
  t.directory.assign('101', 'user-olga', 'Olga');
  const unitOfWork: typeof t.ports.unitOfWork = {
    ...t.ports.unitOfWork,
    run: async (work) => {
      inUnit = 0;
      const result = await t.ports.unitOfWork.run(work);
      sizes.push(inUnit);
      return result;
    },
  };
  return { ...t, ports: { ...t.ports, unitOfWork }, sizes };
}
