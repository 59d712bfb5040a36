/**
 * Interactive voice response, both kinds: the PBX's own voice menus (a greeting, a button, a scenario) and
 * the CRM's IVR (`ivr_play` / `wait_dtmf` replies, the caller's digits sent back in NOTIFY_IVR — §6).
 */
import { STATUS_CODE } from './call-trace.js';
import { notifyIvr } from './events.js';
import { endInbound, endNoAnswer, type InboundCall } from './inbound-call.js';
import type { CallControl } from './reply.js';
import { ringGroup } from './ring-group.js';

/**
 * Plays voice menu `menuId`: the greeting, then the scenario of the button the caller pressed (else the
 * default one) rings its extensions. Why: a number routed to a menu, or a CRM redirect to `ivr…`.
 */
export async function runVoiceMenu(call: InboundCall, menuId: string, why: string): Promise<void> {
  const { rt, run } = call;
  const menu = rt.state.menus.find((m) => m.id === menuId);
  if (!menu) {
    rt.step(run, 'menu missing', `menu ${menuId} does not exist`);
    return endNoAnswer(call);
  }
  rt.step(run, `voice menu ${menu.id} (${menu.name})`, `${why}; greeting plays ${menu.greetingSeconds} s`);
  await rt.sleepSeconds(menu.greetingSeconds);
  const digits = call.dtmf.shift() ?? '';
  const chosen = menu.scenarios.find((s) => digits !== '' && s.button === digits);
  const scenario = chosen ?? menu.scenarios.find((s) => s.id === menu.defaultScenario);
  if (!scenario) {
    return endNoAnswer(call);
  }
  const reason = chosen
    ? `caller pressed ${digits}: scenario ${scenario.id}`
    : `${digits === '' ? 'no input' : `unknown button ${digits}`}: default scenario ${scenario.id}`;
  return ringGroup(call, scenario.extensions, reason);
}

/**
 * Where the CRM's IVR hands the call back: inbound routing implements it.
 * Why: a NOTIFY_IVR reply steers the call again, which is the routing's job, not the IVR's.
 */
export interface IvrExits {
  /** Applies the reply to NOTIFY_IVR, one round deeper. */
  apply(call: InboundCall, control: CallControl, depth: number): Promise<void>;
  redirect(call: InboundCall, control: CallControl): Promise<void>;
  /** Falls back to the number's own PBX scenario. */
  runScenario(call: InboundCall, why: string): Promise<void>;
}

/**
 * Plays the CRM's prompt (`ivr_play`), collects the caller's digits (`wait_dtmf`), sends NOTIFY_IVR and
 * follows its reply — or `wait_dtmf.default` when the caller typed nothing (docs/zadarma-protocol.md §6).
 * Why: the CRM drives this IVR round by round; the PBX only plays and listens.
 */
export async function runCrmIvr(
  call: InboundCall,
  control: CallControl,
  depth: number,
  exits: IvrExits,
): Promise<void> {
  const { rt, run, base } = call;
  if (control.ivrPlay !== null) {
    rt.step(run, `playing ${control.ivrPlay}`, 'the CRM replied ivr_play');
    await rt.sleepSeconds(rt.timings.ivrPlaySeconds);
  }
  const wait = control.waitDtmf;
  if (wait === null) {
    return control.redirect !== null
      ? exits.redirect(call, control)
      : exits.runScenario(call, 'after the prompt, the PBX scenario');
  }
  const typed = (call.dtmf.shift() ?? '').slice(0, Math.max(1, wait.maxdigits));
  const digits = typed === '' ? null : typed;
  await rt.sleepSeconds(digits === null ? wait.timeout * Math.max(1, wait.attempts) : rt.timings.dtmfSeconds);
  rt.step(
    run,
    `collected DTMF for "${wait.name}"`,
    digits === null ? 'no input: default behaviour' : `caller typed ${digits}`,
  );
  const next = await rt.steer(run, notifyIvr({ ...base, name: wait.name, digits }), 'ivr');
  if (next !== null) {
    return exits.apply(call, next, depth + 1);
  }
  if (digits === null && wait.default !== null) {
    if (wait.default === 'hangup') {
      rt.step(run, 'hung up', 'wait_dtmf default is hangup');
      return endInbound(call, 'cancel', STATUS_CODE.cancel);
    }
    return exits.redirect(call, {
      ...control,
      redirect: wait.default,
      returnTimeout: null,
      rewriteForwardNumber: null,
    });
  }
  return exits.runScenario(call, 'no steering after NOTIFY_IVR: the PBX scenario');
}
