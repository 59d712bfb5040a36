/**
 * Webhook configuration (docs/zadarma-protocol.md §4.9): the PBX call notifications URL and toggles
 * (`/v1/pbx/callinfo/*`) and the other-events URL and hooks (`/v1/pbx/webhooks/*`). Saving a URL performs
 * the real `zd_echo` check (§5.2) and refuses a URL that does not echo the token.
 */
import { randomBytes } from 'node:crypto';
import { sendHttp } from '../../http/client.js';
import type { WebhookSettings } from '../../state.js';
import { ApiError, badParam } from '../errors.js';
import { optional, type RestRequest, type Route, required } from '../route.js';

/** Requests `url?zd_echo=<token>` and resolves with a problem description, or `null` when the URL echoes. */
async function echoCheck(url: string, timeoutMs: number): Promise<string | null> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return `"${url}" is not an http(s) URL`;
  }
  const token = randomBytes(8).toString('hex');
  target.searchParams.append('zd_echo', token);
  try {
    const res = await sendHttp({ method: 'GET', url: target.toString(), timeoutMs });
    if (res.status !== 200) {
      return `the zd_echo check got HTTP ${res.status}`;
    }
    if (res.body !== token) {
      return `the zd_echo check expected the body "${token}" and got "${res.body.slice(0, 80)}"`;
    }
    return null;
  } catch (error) {
    return `the zd_echo check failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function flags<T extends Record<string, boolean>>(values: T): Record<keyof T, string> {
  const out = {} as Record<keyof T, string>;
  for (const key of Object.keys(values) as (keyof T)[]) {
    out[key] = values[key] ? 'true' : 'false';
  }
  return out;
}

function toggles<T extends Record<string, boolean>>(req: RestRequest, target: T): void {
  for (const key of Object.keys(target) as (keyof T & string)[]) {
    const value = optional(req, key);
    if (value === undefined) {
      continue;
    }
    if (value !== 'true' && value !== 'false') {
      throw badParam(key, `must be "true" or "false", got "${value}"`);
    }
    (target as Record<string, boolean>)[key] = value === 'true';
  }
}

async function saveUrl(
  req: RestRequest,
  field: 'callinfoUrl' | 'eventsUrl',
): Promise<Record<string, unknown>> {
  const url = required(req, 'url');
  const problem = await echoCheck(url, req.sim.echoTimeoutMs);
  if (problem !== null) {
    throw new ApiError(400, `Wrong parameter 'url': ${problem}`);
  }
  (req.sim.state.webhooks as WebhookSettings)[field] = url;
  return { status: 'success', url };
}

export const webhookSettingsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^pbx\/callinfo$/,
    handler: ({ sim }) => ({
      status: 'success',
      url: sim.state.webhooks.callinfoUrl,
      notifications: flags(sim.state.webhooks.notifications),
    }),
  },
  { method: 'POST', pattern: /^pbx\/callinfo\/url$/, handler: (req) => saveUrl(req, 'callinfoUrl') },
  {
    method: 'DELETE',
    pattern: /^pbx\/callinfo\/url$/,
    handler: ({ sim }) => {
      sim.state.webhooks.callinfoUrl = '';
      return { status: 'success', url: '' };
    },
  },
  {
    method: 'POST',
    pattern: /^pbx\/callinfo\/notifications$/,
    handler: (req) => {
      toggles(req, req.sim.state.webhooks.notifications);
      return { status: 'success', notifications: flags(req.sim.state.webhooks.notifications) };
    },
  },
  {
    method: 'GET',
    pattern: /^pbx\/webhooks$/,
    handler: ({ sim }) => ({
      status: 'success',
      url: sim.state.webhooks.eventsUrl,
      hooks: flags(sim.state.webhooks.hooks),
    }),
  },
  { method: 'POST', pattern: /^pbx\/webhooks\/url$/, handler: (req) => saveUrl(req, 'eventsUrl') },
  {
    method: 'DELETE',
    pattern: /^pbx\/webhooks\/url$/,
    handler: ({ sim }) => {
      sim.state.webhooks.eventsUrl = '';
      return { status: 'success', url: '' };
    },
  },
  {
    method: 'POST',
    pattern: /^pbx\/webhooks\/hooks$/,
    handler: (req) => {
      toggles(req, req.sim.state.webhooks.hooks);
      return { status: 'success', hooks: flags(req.sim.state.webhooks.hooks) };
    },
  },
];
