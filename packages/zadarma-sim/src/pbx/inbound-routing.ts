/**
 * Where an inbound call goes: NOTIFY_START and the CRM's reply (docs/zadarma-protocol.md §6: `caller_name`, `hangup`,
 * `redirect` with `return_timeout`, the CRM's IVR), else the number's own PBX route — a ring group or a
 * voice menu. A redirect to an extension rings it alone and, with a return timeout, goes back to the route.
 */
import { findExtension } from '../state.js';
import type { CallRuntime, Run } from './call-runtime.js';
import { type CallTrace, STATUS_CODE } from './call-trace.js';
import { notifyStart } from './events.js';
import { endInbound, endNoAnswer, type InboundCall, newInboundCall } from './inbound-call.js';
import { type IvrExits, runCrmIvr, runVoiceMenu } from './ivr.js';
import { type CallControl, parseRedirect } from './reply.js';
import { ringExtensions, ringGroup, settleRing } from './ring-group.js';
import type { NormalizedInbound } from './scenarios.js';

/** More NOTIFY_IVR rounds than this is a CRM stuck in a loop: the PBX hangs up. */
const MAX_IVR_ROUNDS = 20;

/** The number's own PBX route: its ring group or its voice menu; no route is a call nobody answers. */
async function runScenario(call: InboundCall, why: string): Promise<void> {
  const route = call.number?.route;
  if (!route) {
    return endNoAnswer(call);
  }
  if (route.type === 'menu') {
    return runVoiceMenu(call, route.menuId, why);
  }
  return ringGroup(call, route.extensions, `${why}: ring group of ${call.base.calledDid}`);
}

/** Follows `redirect`: blacklist, a voice menu, a menu scenario or one extension (§6.2). */
async function redirect(call: InboundCall, control: CallControl): Promise<void> {
  const { rt, run } = call;
  const value = control.redirect as string;
  const target = parseRedirect(value);
  if (target === null) {
    rt.step(run, 'redirect ignored', `"${value}" is not an extension, a scenario or blacklist`);
    return runScenario(call, 'PBX scenario');
  }
  if (target.kind === 'blacklist') {
    rt.step(run, 'blacklisted', 'the CRM replied redirect=blacklist: busy tone');
    await rt.sleepSeconds(1);
    return endInbound(call, 'busy', STATUS_CODE.busy);
  }
  if (target.kind === 'menu') {
    return runVoiceMenu(call, target.menuId, `the CRM redirected to "${value}"`);
  }
  if (target.kind === 'scenario') {
    const scenario = rt.state.menus
      .find((m) => m.id === target.menuId)
      ?.scenarios.find((s) => s.id === target.scenarioId);
    if (!scenario) {
      rt.step(run, 'redirect ignored', `scenario "${value}" does not exist`);
      return runScenario(call, 'PBX scenario');
    }
    return ringGroup(call, scenario.extensions, `the CRM redirected to scenario ${value}`);
  }
  const ext = findExtension(rt.state, target.extension);
  if (!ext) {
    rt.step(run, 'redirect ignored', `extension ${target.extension} does not exist`);
    return runScenario(call, 'PBX scenario');
  }
  const returnTimeout = control.returnTimeout;
  // Without a positive return_timeout the call stays on the extension (§6.2).
  const pinned = returnTimeout === null || returnTimeout <= 0;
  const timeout = pinned ? rt.timings.noAnswerSeconds : Math.max(3, returnTimeout);
  if (control.rewriteForwardNumber !== null) {
    rt.step(
      run,
      'forward number rewritten',
      `calls forwarded from ${ext.number} go to ${control.rewriteForwardNumber}`,
    );
  }
  const why = pinned
    ? `the CRM redirected to ${ext.number} (no return_timeout: stays there)`
    : `the CRM redirected to ${ext.number} with return_timeout ${returnTimeout} s`;
  const result = await ringExtensions(call, [ext.number], timeout, why);
  return settleRing(call, result, async () => {
    if (pinned) {
      return endNoAnswer(call);
    }
    rt.step(run, 'returned to scenario', `${ext.number} did not answer within ${timeout} s`);
    return runScenario(call, 'back to the PBX scenario');
  });
}

/** Applies a reply to NOTIFY_START / NOTIFY_IVR; `null` (no usable reply) runs the PBX scenario. */
async function applyControl(call: InboundCall, control: CallControl | null, depth: number): Promise<void> {
  const { rt, run, trace } = call;
  if (control === null) {
    return runScenario(call, 'PBX scenario');
  }
  if (depth > MAX_IVR_ROUNDS) {
    rt.step(run, 'IVR loop stopped', `more than ${MAX_IVR_ROUNDS} NOTIFY_IVR rounds`);
    return endInbound(call, 'cancel', STATUS_CODE.cancel);
  }
  if (control.callerName !== null) {
    trace.displayName = control.callerName;
    rt.step(run, 'caller name set', `the CRM replied caller_name "${control.callerName}"`);
  }
  if (control.hangup) {
    rt.step(run, 'hung up', 'the CRM replied hangup');
    return endInbound(call, 'cancel', STATUS_CODE.cancel);
  }
  if (control.ivrPlay !== null || control.waitDtmf !== null) {
    return runCrmIvr(call, control, depth, EXITS);
  }
  if (control.redirect !== null) {
    return redirect(call, control);
  }
  return runScenario(call, 'PBX scenario');
}

const EXITS: IvrExits = { apply: applyControl, redirect, runScenario };

/**
 * Plays an inbound call from NOTIFY_START to its end; resolves with the recording id, if recorded.
 * Why: the entry point of every inbound scenario — direct, ring group, voice menu or CRM IVR.
 */
export async function playInbound(
  rt: CallRuntime,
  input: NormalizedInbound,
  trace: CallTrace,
  run: Run,
  startMs: number,
): Promise<string | null> {
  const call = newInboundCall(rt, input, trace, run, startMs);
  const control = await rt.steer(run, notifyStart(call.base), 'notify_start');
  await applyControl(call, control, 0);
  return call.recorded;
}
