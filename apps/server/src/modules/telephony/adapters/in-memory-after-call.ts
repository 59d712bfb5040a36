/**
 * In-memory adapters of the after-call ports (ports.ts): callback loops with their tasks, new callers, the client
 * directory. Why: the after-call use cases are unit-tested without a database; the Kysely adapters are held to
 * the same behaviour by the integration suite on both dialects.
 */
import { randomUUID } from 'node:crypto';
import { AFTER_CALL_SETTINGS } from '../../../platform/settings/setting-definitions.js';
import { SettingValueError } from '../../../platform/settings/settings-storage.js';
import type {
  AfterCallOptions,
  AfterCallOptionsStore,
  CallbackLoop,
  CallbackLoops,
  ClientDirectory,
  ClientOwners,
  NewCaller,
  NewCallers,
  PipelineStages,
} from '../ports.js';

/** A task as the in-memory loops keep it. */
export interface InMemoryTask {
  id: string;
  title: string;
  status: 'open' | 'done';
  assigneeId: string | null;
  contactId: string | null;
  dueAt: string;
}

/** In-memory callback loops; `tasks` are the tasks they created (a test may tick one off by hand). */
export function createInMemoryCallbackLoops(): CallbackLoops & { readonly tasks: Map<string, InMemoryTask> } {
  const tasks = new Map<string, InMemoryTask>();
  /** The loops by number, with the time of their latest missed call (which the port does not show). */
  const loops = new Map<string, Omit<CallbackLoop, 'assigneeId'> & { readonly lastMissedAt: string }>();
  const counted = new Set<string>();
  const view = ({
    lastMissedAt: _,
    ...loop
  }: Omit<CallbackLoop, 'assigneeId'> & { lastMissedAt: string }): CallbackLoop => ({
    ...loop,
    assigneeId: tasks.get(loop.taskId)?.assigneeId ?? null,
  });
  const open = (e164: string) => {
    const loop = loops.get(e164);
    return loop && tasks.get(loop.taskId)?.status === 'open' ? loop : null;
  };
  return {
    tasks,
    async countMissedCall(input) {
      if (counted.has(input.callId)) {
        return { counted: false };
      }
      counted.add(input.callId);
      const current = open(input.clientE164);
      if (current) {
        // Jobs may run out of order: the loop keeps its earliest and its latest missed call by time, whatever
        // was counted first (as the Kysely upsert does).
        const earlier = input.at < current.firstMissedAt;
        const later = input.at > current.lastMissedAt;
        const next = {
          ...current,
          missedCalls: current.missedCalls + 1,
          ...(earlier ? { firstCallId: input.callId, firstMissedAt: input.at } : {}),
          ...(later ? { lastCallId: input.callId, lastMissedAt: input.at } : {}),
        };
        loops.set(input.clientE164, next);
        (tasks.get(current.taskId) as InMemoryTask).title = input.title(next.missedCalls);
        return { loop: view(next), opened: false, counted: true };
      }
      const task: InMemoryTask = {
        id: randomUUID(),
        title: input.title(1),
        status: 'open',
        assigneeId: input.assigneeId,
        contactId: input.contactId,
        dueAt: input.dueAt,
      };
      tasks.set(task.id, task);
      const loop = {
        clientE164: input.clientE164,
        taskId: task.id,
        missedCalls: 1,
        firstCallId: input.callId,
        lastCallId: input.callId,
        firstMissedAt: input.at,
        lastMissedAt: input.at,
        dueAt: input.dueAt,
        escalatedAt: null,
      };
      loops.set(input.clientE164, loop);
      return { loop: view(loop), opened: true, counted: true };
    },
    async openFor(e164) {
      const loop = open(e164);
      return loop ? view(loop) : null;
    },
    async close(input) {
      const loop = loops.get(input.clientE164);
      if (!loop || loop.taskId !== input.taskId) {
        return false;
      }
      loops.delete(input.clientE164);
      (tasks.get(input.taskId) as InMemoryTask).status = 'done';
      return true;
    },
    async escalate(input) {
      const loop = open(input.clientE164);
      if (!loop || loop.taskId !== input.taskId || loop.escalatedAt !== null) {
        return false;
      }
      loops.set(input.clientE164, { ...loop, escalatedAt: input.at });
      const task = tasks.get(input.taskId) as InMemoryTask;
      task.assigneeId = input.toUserId;
      task.title = input.title;
      return true;
    },
  };
}

/** In-memory new callers; `records` are what was created, by number. */
export function createInMemoryNewCallers(): NewCallers & {
  readonly callers: Map<string, NewCaller>;
  readonly records: Map<string, { type: 'contact' | 'lead' | 'deal'; id: string; ownerId: string | null }>;
} {
  const callers = new Map<string, NewCaller>();
  const records = new Map<
    string,
    { type: 'contact' | 'lead' | 'deal'; id: string; ownerId: string | null }
  >();
  const counted = new Set<string>();
  return {
    callers,
    records,
    async noteCall(input) {
      if (counted.has(input.callId)) {
        return { caller: callers.get(input.clientE164) as NewCaller, counted: false };
      }
      counted.add(input.callId);
      const before = callers.get(input.clientE164);
      const caller: NewCaller = {
        clientE164: input.clientE164,
        status: before?.status ?? 'pending',
        calls: (before?.calls ?? 0) + 1,
        shortCalls: (before?.shortCalls ?? 0) + (input.short ? 1 : 0),
        firstCallId: before?.firstCallId ?? input.callId,
        lastCallId: input.callId,
        lastDirection: input.direction,
        lastStatus: input.status,
        agentUserId: input.agentUserId ?? before?.agentUserId ?? null,
        recordType: before?.recordType ?? null,
        recordId: before?.recordId ?? null,
        firstCallAt: before?.firstCallAt ?? input.at,
        lastCallAt: input.at,
      };
      callers.set(input.clientE164, caller);
      return { caller, counted: true };
    },
    async createRecord(request) {
      const caller = callers.get(request.clientE164);
      if (caller?.status !== 'pending') {
        return null;
      }
      const record = { type: request.kind, id: randomUUID(), ownerId: request.ownerId };
      records.set(request.clientE164, record);
      callers.set(request.clientE164, {
        ...caller,
        status: 'created',
        recordType: record.type,
        recordId: record.id,
      });
      return { type: record.type, id: record.id };
    },
  };
}

const NO_OWNERS: ClientOwners = {
  contactId: null,
  contactName: null,
  dealOwnerId: null,
  leadOwnerId: null,
  contactOwnerId: null,
};

/** An in-memory client directory: owners by number, users, and our own numbers. */
export function createInMemoryClientDirectory(
  options: {
    readonly owners?: Readonly<Record<string, Partial<ClientOwners>>>;
    readonly users?: Readonly<Record<string, { name: string; locale: 'en' | 'fr' | 'ru' }>>;
    readonly ownNumbers?: readonly string[];
  } = {},
): ClientDirectory {
  return {
    async ownersOf(e164) {
      return { ...NO_OWNERS, ...options.owners?.[e164] };
    },
    async userOf(userId) {
      return options.users?.[userId] ?? null;
    },
    async isOwnNumber(e164) {
      // Digits only, as the Kysely directory compares: Zadarma lists its numbers as bare digits.
      const digits = e164.replace(/\D/g, '');
      return options.ownNumbers?.some((own) => own.replace(/\D/g, '') === digits) ?? false;
    },
  };
}

/**
 * In-memory pipelines: each pipeline's stages with their kind. Same rule as the Kysely one: a stage is named only
 * when it is open (and in the pipeline, when one is named); a pipeline alone only has to exist.
 */
export function createInMemoryPipelineStages(
  pipelines: Readonly<
    Record<string, readonly { readonly id: string; readonly kind: 'open' | 'won' | 'lost' }[]>
  >,
): PipelineStages {
  return {
    async exists(pipelineId, stageId) {
      if (stageId === null) {
        return pipelineId === null || pipelineId in pipelines;
      }
      return Object.entries(pipelines).some(
        ([id, stages]) =>
          (pipelineId === null || id === pipelineId) &&
          stages.some((stage) => stage.id === stageId && stage.kind === 'open'),
      );
    },
  };
}

/**
 * The after-call options in memory, from the definitions' defaults: a patch changes what it names, each value
 * checked by its definition (the whole patch refused on a bad one), as the settings service does.
 */
export function createInMemoryAfterCallOptionsStore(
  initial: Partial<AfterCallOptions> = {},
): AfterCallOptionsStore {
  let options: AfterCallOptions = {
    missedCallDueMinutes: AFTER_CALL_SETTINGS.missedCallDueMinutes.default,
    newCallerRules: AFTER_CALL_SETTINGS.newCallerRules.default,
    ...initial,
  };
  return {
    read: async () => options,
    async update(patch) {
      const change = Object.entries(patch)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => {
          const definition = AFTER_CALL_SETTINGS[name as keyof AfterCallOptions];
          const parsed = definition.schema.safeParse(value);
          if (!parsed.success) {
            throw new SettingValueError(definition.key, parsed.error.issues.map((i) => i.message).join('; '));
          }
          return [name, parsed.data] as const;
        });
      options = { ...options, ...Object.fromEntries(change) };
      return options;
    },
  };
}
