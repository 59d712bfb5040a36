/** After the call: what runs off the webhook path, in the after-call job. (Part of the telephony ports; import them from `../ports.js`.) */
import type { Actor } from '../../../platform/auth/actor.js';
import type { NewCallerRule } from '../domain/after-call-policy.js';

// ── After the call (issue 12, items 6 and 9): what runs off the webhook path, in the after-call job.

/**
 * Queues the follow-up of an ended call in the batch's own transaction: one indexed insert, the job exists only
 * if the batch commits, and at most once per call. Why: creating tasks and records must never delay the webhook path.
 */
export interface AfterCallScheduler {
  schedule(callId: string): Promise<void>;
}

/** The switches and settings the after-call job reads. */
export interface AfterCallSettings {
  readonly missedCallTasks: boolean;
  readonly autoCreate: boolean;
  readonly defaultResponsibleUserId: string | null;
  readonly missedCallDueMinutes: number;
  readonly newCallerRules: readonly NewCallerRule[];
  readonly defaultCountry: string;
}

export interface AfterCallSettingsReader {
  read(): Promise<AfterCallSettings>;
}

/** What the CRM knows of a client number: its contact and who is responsible along the owner chain. */
export interface ClientOwners {
  readonly contactId: string | null;
  readonly contactName: string | null;
  /** Responsible of the contact's most recent open deal. */
  readonly dealOwnerId: string | null;
  /** Responsible of the contact's most recent open lead (new, contacted or qualified). */
  readonly leadOwnerId: string | null;
  readonly contactOwnerId: string | null;
}

/** Reads the CRM for the after-call job. Why: telephony decides who calls back without knowing CRM tables. */
export interface ClientDirectory {
  ownersOf(e164: string): Promise<ClientOwners>;
  /** The user's name and language, null for an unknown or disabled user. */
  userOf(userId: string): Promise<{ readonly name: string; readonly locale: 'en' | 'fr' | 'ru' } | null>;
  /** Whether the number is one of ours (the account's direct numbers, as Zadarma lists them): never a new caller. */
  isOwnNumber(e164: string): Promise<boolean>;
}

/** A client's open missed-call loop: one callback task counting the missed calls. */
export interface CallbackLoop {
  readonly clientE164: string;
  readonly taskId: string;
  readonly missedCalls: number;
  readonly firstCallId: string;
  readonly lastCallId: string;
  readonly firstMissedAt: string;
  readonly dueAt: string;
  readonly assigneeId: string | null;
  readonly escalatedAt: string | null;
}

interface CountMissedCallInput {
  readonly callId: string;
  readonly clientE164: string;
  readonly at: string;
  /** For a new loop: the task's due time, assignee, subject and title. */
  readonly dueAt: string;
  readonly assigneeId: string | null;
  readonly contactId: string | null;
  /** The task's title for a count of missed calls (the task is retitled as the count grows). */
  readonly title: (missedCalls: number) => string;
  readonly actor: Actor;
}

/**
 * The missed-call loops and their tasks (created and changed through the CRM's task use cases, as the system).
 * Why one port: counting a call, creating the task and the "one open task per client" key are one transaction.
 */
export interface CallbackLoops {
  /**
   * Counts a missed call into the client's open loop, or opens one with a new task (a loop whose task a person
   * closed or deleted is finished first). Atomic and race-safe: two calls at once give one task counting both;
   * a call counted before (a retried job, a replayed event) changes nothing (`counted: false`, and no loop: the
   * loop that counted it may have been closed since, and nothing is to be said about it again).
   */
  countMissedCall(
    input: CountMissedCallInput,
  ): Promise<
    | { readonly loop: CallbackLoop; readonly opened: boolean; readonly counted: true }
    | { readonly counted: false }
  >;
  /** The client's open loop, null when none (or its task is no longer open). */
  openFor(clientE164: string): Promise<CallbackLoop | null>;
  /** Closes the loop of `taskId`: the task done, the loop gone. False when it was already closed. */
  close(input: {
    readonly clientE164: string;
    readonly taskId: string;
    readonly at: string;
    readonly actor: Actor;
  }): Promise<boolean>;
  /** Hands the loop's open task to `toUserId`, once. False when closed or already escalated. */
  escalate(input: {
    readonly clientE164: string;
    readonly taskId: string;
    readonly toUserId: string;
    readonly title: string;
    readonly at: string;
    readonly actor: Actor;
  }): Promise<boolean>;
}

/** A number in the new-callers inbox (or decided about). */
export interface NewCaller {
  readonly clientE164: string;
  readonly status: 'pending' | 'created' | 'accepted' | 'merged' | 'declined';
  readonly calls: number;
  readonly shortCalls: number;
  readonly firstCallId: string;
  readonly lastCallId: string;
  readonly lastDirection: 'inbound' | 'outbound';
  readonly lastStatus: string;
  readonly agentUserId: string | null;
  readonly recordType: 'contact' | 'lead' | 'deal' | null;
  readonly recordId: string | null;
  readonly firstCallAt: string;
  readonly lastCallAt: string;
}

/** What to create for a new number, and for whom. */
export interface NewCallerRecordRequest {
  readonly clientE164: string;
  readonly kind: 'contact' | 'lead' | 'deal';
  readonly pipelineId: string | null;
  readonly stageId: string | null;
  readonly ownerId: string | null;
  readonly at: string;
  readonly actor: Actor;
}

/**
 * The new callers (issue 12, item 6): every number counted once per call, and the one claim that turns a number
 * into a record. Records are created through the CRM's own use cases, as the system actor.
 */
export interface NewCallers {
  /** Counts the call for its number (pending when new); a call counted before changes nothing. */
  noteCall(input: {
    readonly callId: string;
    readonly clientE164: string;
    readonly at: string;
    readonly direction: 'inbound' | 'outbound';
    readonly status: string;
    readonly short: boolean;
    readonly agentUserId: string | null;
  }): Promise<{ caller: NewCaller; counted: boolean }>;
  /**
   * Claims a pending number and creates its record (a contact named from the number; a lead or deal with it),
   * in one transaction; null when the number is no longer pending (another call or a person decided first).
   */
  createRecord(
    request: NewCallerRecordRequest,
  ): Promise<{ type: 'contact' | 'lead' | 'deal'; id: string } | null>;
}

/** The after-call settings an admin edits beside the two switches. */
export interface AfterCallOptions {
  readonly missedCallDueMinutes: number;
  readonly newCallerRules: NewCallerRule[];
}

/** Where the after-call options are stored (the one settings service). */
export interface AfterCallOptionsStore {
  read(): Promise<AfterCallOptions>;
  update(patch: Partial<AfterCallOptions>): Promise<AfterCallOptions>;
}

/** The pipelines and stages a deal rule may name. */
export interface PipelineStages {
  /** Whether `stageId` (when given) is an open stage of `pipelineId` (when given), which exists. */
  exists(pipelineId: string | null, stageId: string | null): Promise<boolean>;
}

/**
 * The new-callers inbox (the Kommo model): people accept a number (a record is created), merge it into an
 * existing contact, or decline it — each once, whoever is first.
 */
export interface NewCallerInbox {
  /** Pending numbers, most recent call first. */
  listPending(limit: number): Promise<NewCaller[]>;
  /** Claims the pending number and creates its record as `actor`; null when it is no longer pending. */
  accept(input: {
    readonly clientE164: string;
    readonly kind: 'contact' | 'lead' | 'deal';
    readonly name: string | null;
    readonly actor: Actor;
    readonly at: string;
  }): Promise<{ type: 'contact' | 'lead' | 'deal'; id: string } | null>;
  /** Claims the pending number and adds it to the contact's phones as `actor`; false when no longer pending. */
  merge(input: {
    readonly clientE164: string;
    readonly contactId: string;
    readonly actor: Actor;
    readonly at: string;
  }): Promise<boolean>;
  /** Declines the pending number (later calls from it are not asked about again); false when not pending. */
  decline(input: {
    readonly clientE164: string;
    readonly actor: Actor;
    readonly at: string;
  }): Promise<boolean>;
}
