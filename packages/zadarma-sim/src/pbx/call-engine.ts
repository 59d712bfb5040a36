/**
 * The PBX: plays inbound, outbound and callback calls against the account state, emits the NOTIFY_*
 * sequence of PROTOCOL.md §5.7, honours the CRM's replies (§6) and leaves statistics rows and recordings.
 * Each call runs as its own async task on the virtual clock; its trace says what happened and why.
 */
import { type SimClock, SimClosedError } from '../clock.js';
import { newLegId, newPbxCallId, seededRandom } from '../ids.js';
import { findExtension, priceFor, type SimState, timezoneOffset, type WebhookSettings } from '../state.js';
import type { SimData } from '../store.js';
import { formatZadarmaDate } from '../time-format.js';
import {
  createDeliveryQueue,
  type DeliveryQueue,
  type DeliveryRecord,
  type Outgoing,
} from '../webhooks/deliver.js';
import type { FieldList, WebhookFormat } from '../webhooks/encode.js';
import {
  type InboundBase,
  notifyAnswer,
  notifyEnd,
  notifyInternal,
  notifyIvr,
  notifyOutEnd,
  notifyOutStart,
  notifyRecord,
  notifyStart,
  type OutboundBase,
} from './events.js';
import { type CallControl, parseRedirect, readReply } from './reply.js';
import {
  type CallbackInput,
  type InboundInput,
  type NormalizedCallback,
  type NormalizedInbound,
  type NormalizedOutbound,
  normalizeCallback,
  normalizeInbound,
  normalizeOutbound,
  type OutboundInput,
  type Outcome,
  type Timings,
} from './scenarios.js';

export interface RoutingStep {
  /** Virtual time, account timezone. */
  readonly at: string;
  readonly action: string;
  readonly why: string;
}

export interface CallOutcome {
  readonly disposition: string;
  readonly statusCode: number;
  /** Talk time in seconds (`duration`). */
  readonly duration: number;
  /** The extension that answered first (`internal`), if any. */
  readonly answeredBy: string | null;
  /** The extension last on the call (`last_internal`). */
  readonly lastInternal: string | null;
  readonly isRecorded: boolean;
  readonly callIdWithRec: string | null;
}

export interface CallTrace {
  readonly pbxCallId: string;
  readonly direction: 'inbound' | 'outbound' | 'callback';
  readonly from: string;
  readonly to: string;
  readonly callStart: string;
  state: 'in progress' | 'finished';
  /** Every notification produced, in production order, with what the receiver answered. */
  readonly webhooks: DeliveryRecord[];
  /** Where the call went and why. */
  readonly routing: RoutingStep[];
  /** What the ringing phones displayed: the CRM's `caller_name`, else the caller's number. */
  displayName: string;
  outcome: CallOutcome | null;
  error: string | null;
}

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
  /** Whether the extension leg of a callback emits NOTIFY_OUT_* (PROTOCOL.md §5.7 item 5, unconfirmed). */
  readonly callbackLeg1Events: boolean;
  readonly timings: Timings;
}

export interface EngineDeps {
  readonly state: SimState;
  readonly data: SimData;
  readonly clock: SimClock;
  readonly config: EngineConfig;
}

export interface CallEngine {
  placeInbound(input: InboundInput): { pbxCallId: string };
  placeOutbound(input: OutboundInput): { pbxCallId: string };
  placeCallback(input: CallbackInput): { pbxCallId: string };
  getCall(pbxCallId: string): CallTrace | undefined;
  listCalls(): CallTrace[];
  /** Resolves with the trace once the call, its NOTIFY_RECORD and every delivery are finished. */
  waitForCall(pbxCallId: string, timeoutMs?: number): Promise<CallTrace>;
  close(): Promise<void>;
}

type RingResult = 'answered' | 'timeout' | 'busy' | 'cancel';

const STATUS_CODE: Record<Outcome, number> = { answered: 16, cancel: 16, busy: 17, 'no answer': 19 };

interface Run {
  readonly trace: CallTrace;
  readonly queue: DeliveryQueue;
  readonly buffered: Outgoing[];
  readonly done: Promise<void>;
  finish: () => void;
}

/** Creates the call engine. Why: one place owns timing, routing and event emission for every scenario. */
export function createCallEngine({ state, data, clock, config }: EngineDeps): CallEngine {
  const calls = new Map<string, Run>();
  const sequence = new Map<string, number>();
  const seqOf = (trace: CallTrace): number => sequence.get(trace.pbxCallId) ?? 0;
  const random = seededRandom(config.seed);
  const running = new Set<Promise<void>>();
  const t = config.timings;

  const date = (ms: number): string => formatZadarmaDate(ms, timezoneOffset(state));
  const sleepSeconds = (s: number): Promise<void> => clock.sleep(s * 1000);

  function newRun(trace: CallTrace): Run {
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
  }

  function step(run: Run, action: string, why: string): void {
    run.trace.routing.push({ at: date(clock.now()), action, why });
  }

  function outgoing(
    fields: FieldList,
    toggle: keyof WebhookSettings['notifications'] | 'record' | 'ivr',
  ): Outgoing {
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

  function emit(
    run: Run,
    fields: FieldList,
    toggle: keyof WebhookSettings['notifications'] | 'record',
  ): void {
    const out = outgoing(fields, toggle);
    if (config.shuffleEvents && toggle !== 'record') {
      run.buffered.push(out);
      return;
    }
    void run.queue.send(out);
  }

  /** Sends NOTIFY_START / NOTIFY_IVR and reads the reply; `null` when nothing steers the call. */
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
    if (order.length > 1 && order.every((v, i) => v === i)) {
      order.push(order.shift() as number);
    }
    for (const i of order) {
      void run.queue.send(items[i] as Outgoing);
    }
  }

  function start(run: Run, body: () => Promise<{ recorded: string | null }>): void {
    const task = (async () => {
      try {
        const { recorded } = await body();
        flushShuffled(run);
        if (recorded !== null) {
          await sleepSeconds(t.recordDelaySeconds);
          emit(run, notifyRecord({ callIdWithRec: recorded, pbxCallId: run.trace.pbxCallId }), 'record');
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
  }

  function addRecording(callId: string, pbxCallId: string, seconds: number): void {
    const now = clock.now();
    data.recordings.set(callId, {
      callId,
      pbxCallId,
      seconds,
      createdAt: now,
      readyAt: now + t.recordDelaySeconds * 1000,
      deleted: false,
    });
  }

  // ---------------------------------------------------------------- inbound

  function playInbound(
    input: NormalizedInbound,
    trace: CallTrace,
    run: Run,
    startMs: number,
  ): Promise<string | null> {
    const base: InboundBase = {
      callStart: trace.callStart,
      pbxCallId: trace.pbxCallId,
      callerId: input.callerId,
      calledDid: input.calledDid,
    };
    const number = state.numbers.find((n) => n.number === input.calledDid);
    const dtmf = [...input.dtmf];
    let ringElapsed = 0;
    let answeredBy: string | null = null;
    let firstRung: string | null = null;
    let recorded: string | null = null;

    function end(
      disposition: Outcome,
      statusCode: number,
      talk = 0,
      legs: { ext: string; seconds: number }[] = [],
    ) {
      const answered = disposition === 'answered';
      const ext = answeredBy ? findExtension(state, answeredBy) : undefined;
      const isRecorded = answered && (input.record ?? ext?.recording ?? false);
      const legIds = legs.map(() => newLegId(startMs));
      const callIdWithRec = isRecorded ? (legIds[0] ?? newLegId(startMs)) : null;
      const lastInternal = answered ? (legs[legs.length - 1]?.ext ?? answeredBy) : null;
      emit(
        run,
        notifyEnd({
          ...base,
          internal: answered ? answeredBy : null,
          duration: answered ? talk : 0,
          statusCode,
          isRecorded,
          callIdWithRec,
          lastInternal,
          calltype: 'normal',
          disposition,
        }),
        'notify_end',
      );
      trace.outcome = {
        disposition,
        statusCode,
        duration: answered ? talk : 0,
        answeredBy: answered ? answeredBy : null,
        lastInternal,
        isRecorded,
        callIdWithRec,
      };
      step(run, `ended: ${disposition}`, answered ? `talked ${talk} s` : `status code ${statusCode}`);
      const clid =
        trace.displayName !== input.callerId ? `${trace.displayName} (${input.callerId})` : input.callerId;
      const rows = answered ? legs : [{ ext: firstRung ?? '', seconds: 0 }];
      rows.forEach((leg, i) => {
        data.pbxStats.push({
          call_id: legIds[i] ?? newLegId(startMs),
          sip: leg.ext,
          callstart: trace.callStart,
          clid,
          // OAS: "Call destination (PBX extension or scenario)".
          destination: leg.ext || input.calledDid,
          disposition,
          seconds: leg.seconds,
          is_recorded: isRecorded && i === 0,
          pbx_call_id: trace.pbxCallId,
          at: startMs,
          seq: seqOf(trace),
          direction: 'in',
        });
      });
      data.accountStats.push({
        id: newLegId(startMs),
        sip: number?.sip ?? '',
        callstart: trace.callStart,
        from: input.callerId,
        to: input.calledDid,
        description: `Incoming call, ${number?.description ?? ''}`.replace(/, $/, ''),
        disposition,
        billseconds: answered ? talk : 0,
        cost: 0,
        billcost: 0,
        currency: state.account.currency,
        at: startMs,
        seq: seqOf(trace),
      });
      if (callIdWithRec !== null) {
        addRecording(callIdWithRec, trace.pbxCallId, talk);
        recorded = callIdWithRec;
      }
    }

    async function talk(): Promise<void> {
      const ext = answeredBy as string;
      emit(
        run,
        notifyAnswer({
          callerId: input.callerId,
          destination: ext,
          callStart: base.callStart,
          pbxCallId: base.pbxCallId,
          internal: ext,
        }),
        'notify_answer',
      );
      step(run, `answered by ${ext}`, `${ext} picked up after ${input.ringSeconds} s of ringing`);
      if (input.transferTo !== null && input.transferTo !== ext) {
        const first = Math.floor(input.talkSeconds / 2);
        await sleepSeconds(first);
        const to = input.transferTo;
        emit(run, notifyInternal({ ...base, internal: to, calltype: 'normal' }), 'notify_internal');
        emit(
          run,
          notifyAnswer({
            callerId: input.callerId,
            destination: to,
            callStart: base.callStart,
            pbxCallId: base.pbxCallId,
            internal: to,
          }),
          'notify_answer',
        );
        step(run, `transferred to ${to}`, `${ext} transferred the call after ${first} s`);
        await sleepSeconds(input.talkSeconds - first);
        end('answered', 16, input.talkSeconds, [
          { ext, seconds: first },
          { ext: to, seconds: input.talkSeconds - first },
        ]);
        return;
      }
      await sleepSeconds(input.talkSeconds);
      end('answered', 16, input.talkSeconds, [{ ext, seconds: input.talkSeconds }]);
    }

    async function ring(
      extensions: readonly string[],
      timeoutSeconds: number,
      why: string,
    ): Promise<RingResult> {
      const online: string[] = [];
      for (const number of extensions) {
        const ext = findExtension(state, number);
        if (ext?.online) {
          online.push(number);
        } else {
          step(
            run,
            `skipped ${number}`,
            ext ? `extension ${number} is offline` : `extension ${number} does not exist`,
          );
        }
      }
      if (online.length === 0) {
        step(run, 'nobody to ring', why);
        return 'timeout';
      }
      for (const number of online) {
        emit(run, notifyInternal({ ...base, internal: number, calltype: 'normal' }), 'notify_internal');
      }
      firstRung ??= online[0] as string;
      step(run, `ringing ${online.join(', ')}`, `${why}; the phones show "${trace.displayName}"`);
      if (input.outcome === 'busy') {
        await sleepSeconds(t.busySeconds);
        return 'busy';
      }
      const picker = input.answer === undefined ? online[0] : input.answer;
      if (
        input.outcome === 'answered' &&
        picker &&
        online.includes(picker) &&
        input.ringSeconds <= timeoutSeconds
      ) {
        await sleepSeconds(input.ringSeconds);
        ringElapsed += input.ringSeconds;
        answeredBy = picker;
        return 'answered';
      }
      if (input.outcome === 'cancel') {
        const left = Math.max(0, input.ringSeconds - ringElapsed);
        if (left <= timeoutSeconds) {
          await sleepSeconds(left);
          ringElapsed += left;
          return 'cancel';
        }
      }
      if (input.outcome === 'answered' && picker && !online.includes(picker)) {
        step(run, `${picker} not rung`, `${picker} would answer but was not among the extensions rung`);
      }
      await sleepSeconds(timeoutSeconds);
      ringElapsed += timeoutSeconds;
      return 'timeout';
    }

    async function settle(result: RingResult, onTimeout: () => Promise<void>): Promise<void> {
      if (result === 'answered') {
        return talk();
      }
      if (result === 'busy') {
        return end('busy', STATUS_CODE.busy);
      }
      if (result === 'cancel') {
        step(run, 'caller hung up', `after ${input.ringSeconds} s of ringing`);
        return end('cancel', STATUS_CODE.cancel);
      }
      return onTimeout();
    }

    const noAnswer = async (): Promise<void> => end('no answer', STATUS_CODE['no answer']);

    async function runMenu(menuId: string, why: string): Promise<void> {
      const menu = state.menus.find((m) => m.id === menuId);
      if (!menu) {
        step(run, 'menu missing', `menu ${menuId} does not exist`);
        return noAnswer();
      }
      step(run, `voice menu ${menu.id} (${menu.name})`, `${why}; greeting plays ${menu.greetingSeconds} s`);
      await sleepSeconds(menu.greetingSeconds);
      const digits = dtmf.shift() ?? '';
      const chosen = menu.scenarios.find((s) => digits !== '' && s.button === digits);
      const scenario = chosen ?? menu.scenarios.find((s) => s.id === menu.defaultScenario);
      if (!scenario) {
        return noAnswer();
      }
      const reason = chosen
        ? `caller pressed ${digits}: scenario ${scenario.id}`
        : `${digits === '' ? 'no input' : `unknown button ${digits}`}: default scenario ${scenario.id}`;
      return settle(await ring(scenario.extensions, t.noAnswerSeconds, reason), noAnswer);
    }

    async function runScenario(why: string): Promise<void> {
      const route = number?.route;
      if (!route) {
        return noAnswer();
      }
      if (route.type === 'menu') {
        return runMenu(route.menuId, why);
      }
      return settle(
        await ring(route.extensions, t.noAnswerSeconds, `${why}: ring group of ${base.calledDid}`),
        noAnswer,
      );
    }

    async function redirect(control: CallControl): Promise<void> {
      const value = control.redirect as string;
      const target = parseRedirect(value);
      if (target === null) {
        step(run, 'redirect ignored', `"${value}" is not an extension, a scenario or blacklist`);
        return runScenario('PBX scenario');
      }
      if (target.kind === 'blacklist') {
        step(run, 'blacklisted', 'the CRM replied redirect=blacklist: busy tone');
        await sleepSeconds(1);
        return end('busy', STATUS_CODE.busy);
      }
      if (target.kind === 'menu') {
        return runMenu(target.menuId, `the CRM redirected to "${value}"`);
      }
      if (target.kind === 'scenario') {
        const scenario = state.menus
          .find((m) => m.id === target.menuId)
          ?.scenarios.find((s) => s.id === target.scenarioId);
        if (!scenario) {
          step(run, 'redirect ignored', `scenario "${value}" does not exist`);
          return runScenario('PBX scenario');
        }
        return settle(
          await ring(scenario.extensions, t.noAnswerSeconds, `the CRM redirected to scenario ${value}`),
          noAnswer,
        );
      }
      const ext = findExtension(state, target.extension);
      if (!ext) {
        step(run, 'redirect ignored', `extension ${target.extension} does not exist`);
        return runScenario('PBX scenario');
      }
      const rt = control.returnTimeout;
      const pinned = rt === null || rt <= 0;
      const timeout = pinned ? t.noAnswerSeconds : Math.max(3, rt);
      if (control.rewriteForwardNumber !== null) {
        step(
          run,
          'forward number rewritten',
          `calls forwarded from ${ext.number} go to ${control.rewriteForwardNumber}`,
        );
      }
      const why = pinned
        ? `the CRM redirected to ${ext.number} (no return_timeout: stays there)`
        : `the CRM redirected to ${ext.number} with return_timeout ${rt} s`;
      const result = await ring([ext.number], timeout, why);
      return settle(result, async () => {
        if (pinned) {
          return noAnswer();
        }
        step(run, 'returned to scenario', `${ext.number} did not answer within ${timeout} s`);
        return runScenario('back to the PBX scenario');
      });
    }

    async function crmIvr(control: CallControl, depth: number): Promise<void> {
      if (control.ivrPlay !== null) {
        step(run, `playing ${control.ivrPlay}`, 'the CRM replied ivr_play');
        await sleepSeconds(t.ivrPlaySeconds);
      }
      const wait = control.waitDtmf;
      if (wait === null) {
        return control.redirect !== null
          ? redirect(control)
          : runScenario('after the prompt, the PBX scenario');
      }
      const typed = (dtmf.shift() ?? '').slice(0, Math.max(1, wait.maxdigits));
      const digits = typed === '' ? null : typed;
      await sleepSeconds(digits === null ? wait.timeout * Math.max(1, wait.attempts) : t.dtmfSeconds);
      step(
        run,
        `collected DTMF for "${wait.name}"`,
        digits === null ? 'no input: default behaviour' : `caller typed ${digits}`,
      );
      const next = await steer(run, notifyIvr({ ...base, name: wait.name, digits }), 'ivr');
      if (next !== null) {
        return apply(next, depth + 1);
      }
      if (digits === null && wait.default !== null) {
        if (wait.default === 'hangup') {
          step(run, 'hung up', 'wait_dtmf default is hangup');
          return end('cancel', STATUS_CODE.cancel);
        }
        return redirect({
          ...control,
          redirect: wait.default,
          returnTimeout: null,
          rewriteForwardNumber: null,
        });
      }
      return runScenario('no steering after NOTIFY_IVR: the PBX scenario');
    }

    async function apply(control: CallControl | null, depth: number): Promise<void> {
      if (control === null) {
        return runScenario('PBX scenario');
      }
      if (depth > 20) {
        step(run, 'IVR loop stopped', 'more than 20 NOTIFY_IVR rounds');
        return end('cancel', STATUS_CODE.cancel);
      }
      if (control.callerName !== null) {
        trace.displayName = control.callerName;
        step(run, 'caller name set', `the CRM replied caller_name "${control.callerName}"`);
      }
      if (control.hangup) {
        step(run, 'hung up', 'the CRM replied hangup');
        return end('cancel', STATUS_CODE.cancel);
      }
      if (control.ivrPlay !== null || control.waitDtmf !== null) {
        return crmIvr(control, depth);
      }
      if (control.redirect !== null) {
        return redirect(control);
      }
      return runScenario('PBX scenario');
    }

    return (async () => {
      const control = await steer(run, notifyStart(base), 'notify_start');
      await apply(control, 0);
      return recorded;
    })();
  }

  // ---------------------------------------------------------------- outbound legs

  async function dial(outcome: Outcome, ringSeconds: number): Promise<Outcome> {
    const wait =
      outcome === 'answered' || outcome === 'cancel'
        ? ringSeconds
        : outcome === 'busy'
          ? t.busySeconds
          : t.noAnswerSeconds;
    await sleepSeconds(wait);
    return outcome;
  }

  function charge(
    destination: string,
    talk: number,
  ): { cost: number; billcost: number; description: string } {
    const price = priceFor(state, destination);
    const billcost = Math.round(Math.ceil(talk / 60) * price.price * 1000) / 1000;
    state.account.balance = Math.round((state.account.balance - billcost) * 10000) / 10000;
    return { cost: price.price, billcost, description: price.description };
  }

  function outboundRows(
    trace: CallTrace,
    o: {
      extension: string | null;
      callerId: string;
      to: string;
      disposition: string;
      talk: number;
      legId: string;
    },
    isRecorded: boolean,
    startMs: number,
  ): void {
    const ext = o.extension ? findExtension(state, o.extension) : undefined;
    data.pbxStats.push({
      call_id: o.legId,
      sip: o.extension ?? '',
      callstart: trace.callStart,
      clid: ext ? `${ext.name} ${ext.number} (${ext.number})` : o.callerId,
      destination: o.to,
      disposition: o.disposition,
      seconds: o.talk,
      is_recorded: isRecorded,
      pbx_call_id: trace.pbxCallId,
      at: startMs,
      seq: seqOf(trace),
      direction: 'out',
    });
    const bill = charge(o.to, o.talk);
    data.accountStats.push({
      id: newLegId(startMs),
      sip: state.sips[0]?.id ?? '',
      callstart: trace.callStart,
      from: o.callerId,
      to: o.to,
      description: bill.description,
      disposition: o.disposition,
      billseconds: o.talk,
      cost: bill.cost,
      billcost: bill.billcost,
      currency: state.account.currency,
      at: startMs,
      seq: seqOf(trace),
    });
  }

  function playOutbound(
    input: NormalizedOutbound,
    trace: CallTrace,
    run: Run,
    startMs: number,
  ): Promise<string | null> {
    const ext = findExtension(state, input.extension);
    const base: OutboundBase = {
      callStart: trace.callStart,
      pbxCallId: trace.pbxCallId,
      internal: input.extension,
      destination: input.to,
      callerId: ext?.callerId || '0',
    };
    return (async () => {
      emit(run, notifyOutStart({ ...base, calltype: null }), 'notify_out_start');
      step(run, `dialling ${input.to}`, `extension ${input.extension} placed an outbound call`);
      const result = await dial(input.outcome, input.ringSeconds);
      const answered = result === 'answered';
      if (answered) {
        emit(
          run,
          notifyAnswer({ ...base, destination: input.to, internal: input.extension }),
          'notify_answer',
        );
        step(run, `${input.to} answered`, `after ${input.ringSeconds} s of ringing`);
        await sleepSeconds(input.talkSeconds);
      }
      const talk = answered ? input.talkSeconds : 0;
      const isRecorded = answered && (input.record ?? ext?.recording ?? false);
      const legId = newLegId(startMs);
      const callIdWithRec = isRecorded ? legId : null;
      emit(
        run,
        notifyOutEnd({
          ...base,
          duration: talk,
          statusCode: STATUS_CODE[result],
          isRecorded,
          callIdWithRec,
          calltype: 'normal',
          disposition: result,
        }),
        'notify_out_end',
      );
      trace.outcome = {
        disposition: result,
        statusCode: STATUS_CODE[result],
        duration: talk,
        answeredBy: answered ? input.to : null,
        lastInternal: input.extension,
        isRecorded,
        callIdWithRec,
      };
      step(run, `ended: ${result}`, answered ? `talked ${talk} s` : `status code ${STATUS_CODE[result]}`);
      outboundRows(
        trace,
        {
          extension: input.extension,
          callerId: base.callerId,
          to: input.to,
          disposition: result,
          talk,
          legId,
        },
        isRecorded,
        startMs,
      );
      if (callIdWithRec !== null) {
        addRecording(callIdWithRec, trace.pbxCallId, talk);
      }
      return callIdWithRec;
    })();
  }

  function playCallback(
    input: NormalizedCallback,
    trace: CallTrace,
    run: Run,
    startMs: number,
  ): Promise<string | null> {
    const ext = input.extension ? findExtension(state, input.extension) : undefined;
    const base: OutboundBase = {
      callStart: trace.callStart,
      pbxCallId: trace.pbxCallId,
      internal: input.extension,
      destination: input.to,
      callerId: ext?.callerId || state.sips[0]?.callerId || '0',
    };
    type Leg = { party: 'extension' | 'customer'; calltype: string; outcome: Outcome; dialled: string };
    const extLeg: Leg = {
      party: 'extension',
      calltype: 'callback_leg1',
      outcome: input.extensionOutcome,
      dialled: input.from,
    };
    const customerLeg: Leg = {
      party: 'customer',
      calltype: 'callback_leg2',
      outcome: input.outcome,
      dialled: input.to,
    };
    const [first, second] = input.predicted ? [customerLeg, extLeg] : [extLeg, customerLeg];
    const emitLeg = (leg: Leg, fields: FieldList, toggle: 'notify_out_start' | 'notify_out_end'): void => {
      if (leg.party === 'extension' && !config.callbackLeg1Events) {
        return;
      }
      emit(run, fields, toggle);
    };
    const endLeg = (leg: Leg, disposition: Outcome, talk: number, callIdWithRec: string | null): void => {
      emitLeg(
        leg,
        notifyOutEnd({
          ...base,
          duration: talk,
          statusCode: STATUS_CODE[disposition],
          isRecorded: callIdWithRec !== null,
          callIdWithRec,
          calltype: leg.calltype,
          disposition,
        }),
        'notify_out_end',
      );
    };
    return (async () => {
      if (!config.callbackLeg1Events) {
        step(run, 'leg-1 events off', 'callbackLeg1Events is false: the extension leg emits no NOTIFY_OUT_*');
      }
      emitLeg(first, notifyOutStart({ ...base, calltype: first.calltype }), 'notify_out_start');
      step(
        run,
        `callback: calling ${first.dialled} first`,
        input.predicted ? 'predicted: the customer first' : 'the extension first',
      );
      const r1 = await dial(first.outcome, input.ringSeconds);
      let disposition: Outcome = r1;
      let talk = 0;
      let callIdWithRec: string | null = null;
      const legId = newLegId(startMs);
      if (r1 !== 'answered') {
        step(run, `${first.dialled}: ${r1}`, 'the first leg did not answer: the second leg is not dialled');
        endLeg(first, r1, 0, null);
      } else {
        emitLeg(second, notifyOutStart({ ...base, calltype: second.calltype }), 'notify_out_start');
        step(run, `callback: calling ${second.dialled}`, `${first.dialled} answered`);
        const r2 = await dial(second.outcome, input.ringSeconds);
        disposition = r2;
        if (r2 === 'answered') {
          emit(
            run,
            notifyAnswer({ ...base, destination: input.to, internal: input.extension }),
            'notify_answer',
          );
          step(run, 'bridged', `${second.dialled} answered`);
          await sleepSeconds(input.talkSeconds);
          talk = input.talkSeconds;
          const isRecorded = input.record ?? ext?.recording ?? false;
          callIdWithRec = isRecorded ? legId : null;
        } else {
          step(run, `${second.dialled}: ${r2}`, 'the second leg did not answer');
        }
        const recFor = (leg: Leg): string | null => (leg.party === 'customer' ? callIdWithRec : null);
        endLeg(second, r2, talk, recFor(second));
        endLeg(first, r2, talk, recFor(first));
      }
      trace.outcome = {
        disposition,
        statusCode: STATUS_CODE[disposition],
        duration: talk,
        answeredBy: disposition === 'answered' ? input.to : null,
        lastInternal: input.extension,
        isRecorded: callIdWithRec !== null,
        callIdWithRec,
      };
      step(
        run,
        `ended: ${disposition}`,
        disposition === 'answered' ? `talked ${talk} s` : `status code ${STATUS_CODE[disposition]}`,
      );
      outboundRows(
        trace,
        { extension: input.extension, callerId: base.callerId, to: input.to, disposition, talk, legId },
        callIdWithRec !== null,
        startMs,
      );
      if (callIdWithRec !== null) {
        addRecording(callIdWithRec, trace.pbxCallId, talk);
      }
      return callIdWithRec;
    })();
  }

  function newTrace(direction: CallTrace['direction'], from: string, to: string, startMs: number): CallTrace {
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
  }

  let closed = false;
  function assertOpen(): void {
    if (closed) {
      throw new SimClosedError('the simulator is closed');
    }
  }

  return {
    placeInbound(raw) {
      assertOpen();
      const input = normalizeInbound(state, raw, t, config.hiddenCallerId);
      const startMs = clock.now();
      const trace = newTrace('inbound', input.callerId, input.calledDid, startMs);
      const run = newRun(trace);
      start(run, async () => ({ recorded: await playInbound(input, trace, run, startMs) }));
      return { pbxCallId: trace.pbxCallId };
    },
    placeOutbound(raw) {
      assertOpen();
      const input = normalizeOutbound(state, raw, t);
      const startMs = clock.now();
      const trace = newTrace('outbound', input.extension, input.to, startMs);
      const run = newRun(trace);
      start(run, async () => ({ recorded: await playOutbound(input, trace, run, startMs) }));
      return { pbxCallId: trace.pbxCallId };
    },
    placeCallback(raw) {
      assertOpen();
      const input = normalizeCallback(state, raw, t);
      const startMs = clock.now();
      const trace = newTrace('callback', input.from, input.to, startMs);
      const run = newRun(trace);
      start(run, async () => ({ recorded: await playCallback(input, trace, run, startMs) }));
      return { pbxCallId: trace.pbxCallId };
    },
    getCall: (id) => calls.get(id)?.trace,
    listCalls: () => [...calls.values()].map((r) => r.trace),
    async waitForCall(id, timeoutMs = 30_000) {
      const run = calls.get(id);
      if (!run) {
        throw new Error(`unknown call "${id}"`);
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`call ${id} did not finish within ${timeoutMs} ms (real time)`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([run.done, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return run.trace;
    },
    async close() {
      closed = true;
      clock.dispose();
      await Promise.allSettled([...running]);
    },
  };
}
