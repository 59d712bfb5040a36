/**
 * What a tab that connects during a call receives first (issue 13): for each call in progress in the user's
 * audience, the events that put its card in the state it is in — `call.ringing`, then `call.answered` when the
 * user has it. Read from the calls table, so it works after a reload, in a second tab and on any instance.
 * Why: a reload used to lose the card for the rest of the call.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import type {
  CallRepository,
  CallWorkspaceStore,
  CrmCardReader,
  ExtensionDirectory,
  StoredCall,
  WrapUpCards,
} from '../ports.js';
import { mayWorkOnCall } from './call-workspace-access.js';
import { answeredPayload, endedPayload, ringingPayload } from './live-call-state.js';

/** A call still rings after this long only when its end notification was lost: no card for it. */
const RINGING_WINDOW_MS = 5 * 60_000;
/** Longer calls are rare; an unended record older than this is a lost end notification. */
const IN_PROGRESS_WINDOW_MS = 4 * 60 * 60_000;
/** A wrap-up left open longer than a working day is forgotten rather than greeting the agent every morning. */
const WRAP_UP_WINDOW_MS = 12 * 60 * 60_000;

export interface LiveCallsPorts {
  readonly store: CallWorkspaceStore;
  readonly calls: Pick<CallRepository, 'getById'>;
  readonly directory: ExtensionDirectory;
  readonly cards: CrmCardReader;
  readonly wrapUps: WrapUpCards;
}

/** One live event to send: its SSE topic and data. */
export interface LiveCallFrame {
  readonly topic: 'call.ringing' | 'call.answered' | 'call.ended';
  readonly data: unknown;
}

function isLive(call: StoredCall): boolean {
  return call.status === 'ringing' || call.status === 'in_progress';
}

async function framesOf(
  ports: LiveCallsPorts,
  call: StoredCall,
  me: { userId: string; extension: string | null },
  options: { readonly whoeverAnswered: boolean },
): Promise<LiveCallFrame[]> {
  const outbound = call.direction === 'outbound';
  const answeredByMe =
    call.agentUserId === me.userId || (me.extension !== null && call.answeredBy === me.extension);
  if (!options.whoeverAnswered) {
    if (call.status === 'ringing' && !outbound) {
      if (me.extension === null || !call.ringingExtensions.includes(me.extension)) {
        return [];
      }
    } else if (!answeredByMe && !(outbound && call.originExtension === me.extension)) {
      return []; // a colleague has it: the card would only say so and close
    }
  }
  const contact = call.contactId
    ? await ports.cards.cardOf(call.contactId, { excludeCallId: call.id })
    : null;
  const extension = outbound
    ? call.originExtension
    : call.status === 'ringing' && me.extension !== null && call.ringingExtensions.includes(me.extension)
      ? me.extension
      : (call.answeredBy ?? call.ringingExtensions.at(-1) ?? null);
  const frames: LiveCallFrame[] = [{ topic: 'call.ringing', data: ringingPayload(call, extension, contact) }];
  if (call.status === 'in_progress') {
    const agent = call.agentUserId;
    const name = agent ? await ports.directory.nameOf(agent) : null;
    frames.push({
      topic: 'call.answered',
      data: answeredPayload(call, {
        userId: agent,
        name,
        extension: outbound ? call.originExtension : call.answeredBy,
      }),
    });
  }
  return frames;
}

/**
 * The frames of an ended call whose wrap-up card the user left open: the call as it rang, then its end marked
 * as the user's wrap-up with the outcome recorded so far (the card then shows the outcome picker again).
 */
async function wrapUpFramesOf(ports: LiveCallsPorts, call: StoredCall): Promise<LiveCallFrame[]> {
  const contact = call.contactId
    ? await ports.cards.cardOf(call.contactId, { excludeCallId: call.id })
    : null;
  const extension =
    call.direction === 'outbound'
      ? call.originExtension
      : (call.answeredBy ?? call.ringingExtensions.at(-1) ?? null);
  const { outcome } = await ports.store.wrapUpOf(call.id);
  return [
    { topic: 'call.ringing', data: ringingPayload(call, extension, contact) },
    { topic: 'call.ended', data: { ...endedPayload(call), wrapUp: { outcome } } },
  ];
}

/**
 * The frames that restore every card of `userId`: the ended calls whose wrap-up they have not closed, then the
 * calls in progress, oldest call first in each group.
 */
export async function liveCallFramesFor(
  ports: LiveCallsPorts,
  userId: string,
  now: number,
): Promise<LiveCallFrame[]> {
  const extension = await ports.directory.extensionOf(userId);
  const ids = await ports.store.inProgressFor({
    userId,
    extension,
    ringingSince: new Date(now - RINGING_WINDOW_MS).toISOString(),
    inProgressSince: new Date(now - IN_PROGRESS_WINDOW_MS).toISOString(),
  });
  const frames: LiveCallFrame[] = [];
  const wrapUps = await ports.wrapUps.openFor(userId, new Date(now - WRAP_UP_WINDOW_MS).toISOString(), 10);
  for (const id of wrapUps.reverse()) {
    const call = await ports.calls.getById(id);
    if (call && !isLive(call)) {
      frames.push(...(await wrapUpFramesOf(ports, call)));
    }
  }
  for (const id of ids.reverse()) {
    const call = await ports.calls.getById(id);
    if (call && isLive(call)) {
      frames.push(...(await framesOf(ports, call, { userId, extension }, { whoeverAnswered: false })));
    }
  }
  return frames;
}

/**
 * The frames of one call the actor opens by hand (the calls page's "in progress" rows), whoever answered it;
 * null when the call is over or not theirs to work on.
 */
export async function liveCallFramesOf(
  ports: LiveCallsPorts,
  actor: Actor,
  callId: string,
): Promise<LiveCallFrame[] | null> {
  const call = await ports.calls.getById(callId);
  if (!call || !isLive(call) || !(await mayWorkOnCall(ports, actor, call))) {
    return null;
  }
  const userId = actor.kind === 'user' ? actor.id : '';
  const extension = userId ? await ports.directory.extensionOf(userId) : null;
  return framesOf(ports, call, { userId, extension }, { whoeverAnswered: true });
}
