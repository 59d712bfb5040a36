/**
 * The core every scenario shares: a call's run (trace, delivery queue, completion), virtual time, routing
 * steps, notification emission with the cabinet's on/off switches, the NOTIFY_START / NOTIFY_IVR reply
 * round trip (docs/zadarma-protocol.md §6), shuffled delivery and recordings.
 */
import { type SimClock, SimClosedError } from '../clock.js';
import { newPbxCallId, seededRandom } from '../ids.js';
import { type SimState, timezoneOffset, type WebhookSettings } from '../state.js';
import type { Recording, SimData } from '../store.js';
import { formatZadarmaDate } from '../time-format.js';
import { createDeliveryQueue, type DeliveryQueue, type Outgoing } from '../webhooks/deliver.js';
import type { FieldList, WebhookFormat } from '../webhooks/encode.js';
import type { CallTrace } from './call-trace.js';
import { notifyRecord } from './events.js';
import { type CallControl, readReply } from './reply.js';
import type { Timings } from './scenarios.js';

/** How the engine plays and delivers; fixed for the simulator's lifetime. */
interface EngineConfig {
  readonly secret: string;
  readonly format: WebhookFormat;
  readonly multipartQuirk: boolean;
  readonly duplicateEvents: boolean;
  readonly shuffleEvents: boolean;
  readonly seed: number;
  /** Real milliseconds the PBX waits for a reply to NOTIFY_START / NOTIFY_IVR (§6.3, default 3000). */
  readonly replyDeadlineMs: number;
  readonly deliveryTimeoutMs: number;
  /** `caller_id` of a hidden caller: `0` or empty (§5.5). */
  readonly hiddenCallerId: string;
  /** Whether the extension leg of a callback emits NOTIFY_OUT_* (docs/zadarma-protocol.md §5.7 item 5, unconfirmed). */
  readonly callbackLeg1Events: boolean;
  readonly timings: Timings;
}

/** What the engine plays against: the account, the recorded data, virtual time, the configuration. */
export interface EngineDeps {
  readonly state: SimState;
  readonly data: SimData;
  readonly clock: SimClock;
  readonly config: EngineConfig;
  /**
   * Sends SPEECH_RECOGNITION for a recording its extension transcribes automatically (the "other events" channel
   * is the simulator's, not the call's); resolves once delivered, with a line for the call's trace.
   */
  readonly recognized?: (recording: Recording) => Promise<string>;
}

/** One call being played: its trace, its own delivery queue (in-order per call) and its completion. */
export interface Run {
  readonly trace: CallTrace;
  readonly queue: DeliveryQueue;
  /** Notifications held back when `shuffleEvents` is on, sent in another order when the call ends. */
  readonly buffered: Outgoing[];
  readonly done: Promise<void>;
  finish: () => void;
}

/** The cabinet switch a notification obeys (`record` and `ivr` have their own rules). */
type NotificationToggle = keyof WebhookSettings['notifications'] | 'record' | 'ivr';

/**
 * The shared services of the engine, handed to every scenario.
 * Why: one place owns timing, event emission and reply handling, so every scenario behaves alike.
 */
export interface CallRuntime {
  readonly state: SimState;
  readonly data: SimData;
  readonly clock: SimClock;
  readonly config: EngineConfig;
  readonly timings: Timings;
  /** Every call played so far, by `pbx_call_id`. */
  readonly calls: ReadonlyMap<string, Run>;
  /** A Zadarma date-time (`YYYY-MM-DD HH:MM:SS`) in the account's timezone. */
  date(ms: number): string;
  sleepSeconds(seconds: number): Promise<void>;
  /** The order in which the call started, so statistics rows of one second sort as played. */
  seqOf(trace: CallTrace): number;
  newTrace(direction: CallTrace['direction'], from: string, to: string, startMs: number): CallTrace;
  newRun(trace: CallTrace): Run;
  /** Records a routing step: what happened and why. */
  step(run: Run, action: string, why: string): void;
  /** Sends (or, shuffling, holds back) a notification that expects no reply. */
  emit(run: Run, fields: FieldList, toggle: Exclude<NotificationToggle, 'ivr'>): void;
  /** Sends NOTIFY_START / NOTIFY_IVR and reads the reply; `null` when nothing steers the call. */
  steer(run: Run, fields: FieldList, toggle: 'notify_start' | 'ivr'): Promise<CallControl | null>;
  /** Plays a call as its own task; `body` resolves with the recording id, if any, for NOTIFY_RECORD. */
  start(run: Run, body: () => Promise<string | null>): void;
  /** `extension`: the one whose recording settings apply (its speech recognition). */
  addRecording(callId: string, pbxCallId: string, seconds: number, extension: string | null): void;
  /** Resolves once every call task has settled. */
  settled(): Promise<void>;
}

/** Creates the shared core of one engine. Why: scenarios stay small functions over one set of services. */
export function createCallRuntime({ state, data, clock, config, recognized }: EngineDeps): CallRuntime {
  const calls = new Map<string, Run>();
  const sequence = new Map<string, number>();
  const random = seededRandom(config.seed);
  const running = new Set<Promise<void>>();
  const t = config.timings;

  const date = (ms: number): string => formatZadarmaDate(ms, timezoneOffset(state));
  const sleepSeconds = (s: number): Promise<void> => clock.sleep(s * 1000);

  function step(run: Run, action: string, why: string): void {
    run.trace.routing.push({ at: date(clock.now()), action, why });
  }

  function outgoing(fields: FieldList, toggle: NotificationToggle): Outgoing {
    const settings = state.webhooks;
    const sentAt = date(clock.now());
    if (!settings.callinfoUrl) {
      return {
        fields,
        url: null,
        skipReason: 'not sent: no PBX call notifications URL is configured',
        sentAt,
      };
    }
    if (toggle === 'record' && !settings.notifyRecord) {
      return { fields, url: null, skipReason: 'not sent: NOTIFY_RECORD is switched off', sentAt };
    }
    if (toggle !== 'record' && toggle !== 'ivr' && !settings.notifications[toggle]) {
      return { fields, url: null, skipReason: `not sent: ${toggle} is switched off`, sentAt };
    }
    return { fields, url: settings.callinfoUrl, sentAt };
  }

  function emit(run: Run, fields: FieldList, toggle: Exclude<NotificationToggle, 'ivr'>): void {
    const out = outgoing(fields, toggle);
    if (config.shuffleEvents && toggle !== 'record') {
      run.buffered.push(out);
      return;
    }
    void run.queue.send(out);
  }

  async function steer(
    run: Run,
    fields: FieldList,
    toggle: 'notify_start' | 'ivr',
  ): Promise<CallControl | null> {
    const out = outgoing(fields, toggle);
    const event = fields[0]?.[1] ?? '';
    const { record, body } = await run.queue.sendSteering(out, config.replyDeadlineMs);
    if (out.url === null) {
      step(run, `${event} not sent`, record.note ?? 'no URL');
      return null;
    }
    if (body === null) {
      step(run, `${event} reply ignored`, record.note ?? 'no usable reply');
      return null;
    }
    const reading = readReply(body);
    record.note = reading.note;
    step(run, reading.kind === 'steer' ? `${event} reply honoured` : `${event} reply ignored`, reading.note);
    return reading.kind === 'steer' ? reading.control : null;
  }

  function flushShuffled(run: Run): void {
    const items = run.buffered.splice(0);
    const order = items.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    // A shuffle that happens to keep the order would test nothing: rotate it.
    if (order.length > 1 && order.every((v, i) => v === i)) {
      order.push(order.shift() as number);
    }
    for (const i of order) {
      void run.queue.send(items[i] as Outgoing);
    }
  }

  return {
    state,
    data,
    clock,
    config,
    timings: t,
    calls,
    date,
    sleepSeconds,
    seqOf: (trace) => sequence.get(trace.pbxCallId) ?? 0,
    newTrace(direction, from, to, startMs) {
      return {
        pbxCallId: newPbxCallId(direction === 'inbound' ? 'in' : 'out'),
        direction,
        from,
        to,
        callStart: date(startMs),
        state: 'in progress',
        webhooks: [],
        routing: [],
        displayName: from,
        outcome: null,
        error: null,
      };
    },
    newRun(trace) {
      let finish = (): void => undefined;
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const queue = createDeliveryQueue(
        {
          secret: config.secret,
          format: config.format,
          multipartQuirk: config.multipartQuirk,
          duplicateEvents: config.duplicateEvents,
          deliveryTimeoutMs: config.deliveryTimeoutMs,
        },
        (record) => trace.webhooks.push(record),
      );
      const run: Run = { trace, queue, buffered: [], done, finish };
      calls.set(trace.pbxCallId, run);
      sequence.set(trace.pbxCallId, sequence.size);
      return run;
    },
    step,
    emit,
    steer,
    start(run, body) {
      const task = (async () => {
        try {
          const recorded = await body();
          flushShuffled(run);
          if (recorded !== null) {
            await sleepSeconds(t.recordDelaySeconds);
            emit(run, notifyRecord({ callIdWithRec: recorded, pbxCallId: run.trace.pbxCallId }), 'record');
            const recording = data.recordings.get(recorded);
            if (recording?.autoRecognition && recognized) {
              // Zadarma transcribes the finished file, then posts the transcript on the events channel (§5.6.12).
              await sleepSeconds(t.recognitionDelaySeconds);
              step(run, 'SPEECH_RECOGNITION', await recognized(recording));
            }
          }
        } catch (error) {
          if (!(error instanceof SimClosedError)) {
            run.trace.error = error instanceof Error ? error.message : String(error);
          }
          flushShuffled(run);
        }
        await run.queue.idle();
        run.trace.state = 'finished';
        run.finish();
      })();
      running.add(task);
      void task.finally(() => running.delete(task));
    },
    addRecording(callId, pbxCallId, seconds, extension) {
      const now = clock.now();
      const ext = extension === null ? undefined : state.extensions.find((e) => e.number === extension);
      data.recordings.set(callId, {
        callId,
        pbxCallId,
        seconds,
        createdAt: now,
        readyAt: now + t.recordDelaySeconds * 1000,
        autoRecognition: ext?.speechRecognition === 'all',
        deleted: false,
      });
    },
    async settled() {
      await Promise.allSettled([...running]);
    },
  };
}
