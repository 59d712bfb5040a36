/**
 * The control API under `/_sim/` (documented in the README): place calls, read their traces, switch
 * extensions on and offline, inspect SMS and state. JSON in, JSON out, no authentication (local tool).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackPlan, SimContext } from '../context.js';
import { checkFaultPlan, type FaultPlan, planFaults } from '../faults.js';
import { readBody } from '../http/body.js';
import { SimInputError } from '../pbx/scenarios.js';
import { type RestLogEntry, sendJson } from '../rest/router.js';
import { findExtension } from '../state.js';

export interface ControlDeps {
  readonly sim: SimContext;
  readonly requests: readonly RestLogEntry[];
  setWebhookUrl(url: string | null): void;
  setEventsUrl(url: string | null): void;
  sendInboundSms(input: { from: string; to: string; text: string }): Promise<unknown>;
}

class ControlError extends Error {
  override readonly name = 'ControlError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function json(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req, 1024 * 1024);
  if (body.length === 0) {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ControlError(400, 'body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ControlError(400, 'body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw new ControlError(400, `${name} must be a non-empty string`);
  }
  return value;
}

/** Handles one `/_sim/*` request. Why: lets people and scripts drive the PBX without writing code. */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ControlDeps,
): Promise<void> {
  const { sim } = deps;
  const url = new URL(req.url ?? '/', 'http://sim');
  const path = url.pathname.replace(/\/$/, '');
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    if (method === 'GET' && (path === '/_sim' || path === '/_sim/state')) {
      sendJson(res, 200, path === '/_sim' ? { url: sim.baseUrl(), state: sim.state } : sim.state);
      return;
    }
    if (method === 'POST' && path === '/_sim/calls/inbound') {
      const body = await json(req);
      sendJson(res, 200, sim.engine.placeInbound(body as never));
      return;
    }
    if (method === 'POST' && path === '/_sim/calls/outbound') {
      sendJson(res, 200, sim.engine.placeOutbound((await json(req)) as never));
      return;
    }
    if (method === 'POST' && path === '/_sim/calls/callback') {
      sendJson(res, 200, sim.engine.placeCallback((await json(req)) as never));
      return;
    }
    if (method === 'GET' && path === '/_sim/calls') {
      sendJson(
        res,
        200,
        sim.engine.listCalls().map((c) => ({
          pbxCallId: c.pbxCallId,
          direction: c.direction,
          from: c.from,
          to: c.to,
          callStart: c.callStart,
          state: c.state,
          disposition: c.outcome?.disposition ?? null,
        })),
      );
      return;
    }
    const call = /^\/_sim\/calls\/([^/]+)$/.exec(path);
    if (method === 'GET' && call) {
      const id = decodeURIComponent(call[1] as string);
      if (!sim.engine.getCall(id)) {
        throw new ControlError(404, `unknown call "${id}"`);
      }
      const wait = url.searchParams.get('wait');
      const trace = wait
        ? await sim.engine.waitForCall(id, Number(wait) > 1 ? Number(wait) : 60_000)
        : sim.engine.getCall(id);
      sendJson(res, 200, trace);
      return;
    }
    const status = /^\/_sim\/extensions\/([^/]+)(?:\/status)?$/.exec(path);
    if ((method === 'PUT' || method === 'POST') && status) {
      const ext = findExtension(sim.state, status[1] as string);
      if (!ext) {
        throw new ControlError(404, `unknown extension "${status[1]}"`);
      }
      const body = await json(req);
      if (typeof body.online !== 'boolean') {
        throw new ControlError(400, 'online must be true or false');
      }
      ext.online = body.online;
      sendJson(res, 200, { extension: ext.number, online: ext.online });
      return;
    }
    if (method === 'PUT' && (path === '/_sim/webhook-url' || path === '/_sim/events-url')) {
      const body = await json(req);
      const value = body.url === null || body.url === '' ? null : text(body, 'url');
      (path === '/_sim/webhook-url' ? deps.setWebhookUrl : deps.setEventsUrl)(value);
      sendJson(res, 200, { url: value ?? '' });
      return;
    }
    if (method === 'PUT' && path === '/_sim/callback-plan') {
      const body = await json(req);
      sim.callbackPlan = { ...sim.callbackPlan, ...(body as Partial<CallbackPlan>) };
      sendJson(res, 200, sim.callbackPlan);
      return;
    }
    if (method === 'GET' && path === '/_sim/sms') {
      sendJson(res, 200, sim.data.sms);
      return;
    }
    if (method === 'POST' && path === '/_sim/sms/inbound') {
      const body = await json(req);
      const delivery = await deps.sendInboundSms({
        from: text(body, 'from'),
        to: text(body, 'to'),
        text: text(body, 'text'),
      });
      sendJson(res, 200, { delivery });
      return;
    }
    if (method === 'GET' && path === '/_sim/events') {
      sendJson(res, 200, sim.eventWebhooks);
      return;
    }
    if (method === 'PUT' && path === '/_sim/faults') {
      const body = await json(req);
      const problem = checkFaultPlan(body);
      if (problem) {
        throw new ControlError(400, problem);
      }
      planFaults(sim.faults, body as FaultPlan);
      sendJson(res, 200, sim.faults);
      return;
    }
    if (method === 'GET' && path === '/_sim/faults') {
      sendJson(res, 200, sim.faults);
      return;
    }
    if (method === 'GET' && path === '/_sim/requests') {
      sendJson(res, 200, deps.requests);
      return;
    }
    throw new ControlError(404, `no control route ${method} ${path}`);
  } catch (error) {
    if (error instanceof ControlError) {
      sendJson(res, error.status, { error: error.message });
    } else if (error instanceof SimInputError) {
      sendJson(res, 400, { error: error.message });
    } else {
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
