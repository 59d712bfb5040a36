/**
 * The simulated account: what a Zadarma cabinet holds (balance, timezone, PBX extensions, virtual numbers,
 * SIP accounts, voice menus, webhook settings). REST methods read and change it; calls are played from it.
 */
import { parseTimezoneLabel } from './time-format.js';

export type OnOff = 'on' | 'off';

export interface ExtensionRedirection {
  status: OnOff;
  /** `phone | voicemail | menu | sip | sip_uri` (docs/zadarma-protocol.md §4.8). */
  type: string;
  destination: string;
  /** `always | noanswer`. */
  condition: string;
}

export interface Extension {
  /** Three digits, e.g. `100`. */
  number: string;
  name: string;
  /** Registration state, shown as `is_online` (§4.3). Offline extensions are not rung. */
  online: boolean;
  /** CallerID used on outbound calls; empty = none (webhooks then show `0`, §5.5). */
  callerId: string;
  /** Whether this extension's calls are recorded (cabinet "record calls"). */
  recording: boolean;
  /**
   * Speech recognition of its recordings (`PUT /v1/pbx/internal/recording/` `speech_recognition`, §4.3): `all`
   * transcribes every recording and sends SPEECH_RECOGNITION (§5.6.12); `optional` only on request (PUT
   * `/v1/speech_recognition/`); `off` never on its own.
   */
  speechRecognition: 'all' | 'optional' | 'off';
  lines: number;
  redirection: ExtensionRedirection;
}

/** Where a call to a number goes when nothing steers it: ring extensions together, or a voice menu. */
export type Route = { type: 'group'; extensions: string[] } | { type: 'menu'; menuId: string };

export interface DirectNumber {
  /** Digits without `+`, as in `called_did`. */
  number: string;
  country: string;
  description: string;
  /** SIP id the number is attached to (statistics' `sip`). */
  sip: string;
  route: Route;
  monthlyFee: number;
  channels: number;
}

export interface SipAccount {
  /** Five digits, e.g. `00001`. */
  id: string;
  displayName: string;
  lines: number;
  callerId: string;
}

/** One scenario of a voice menu: what pressing `button` does (`first_sips` of OAS `/v1/pbx/ivr/scenario/`). */
export interface MenuScenario {
  id: string;
  button: string;
  extensions: string[];
}

export interface Menu {
  /** Menu id as in `redirect: "0-1"` (menu 0, scenario 1), docs/zadarma-protocol.md §6.1. */
  id: string;
  name: string;
  /** How long the greeting plays before digits are read, in seconds. */
  greetingSeconds: number;
  scenarios: MenuScenario[];
  /** Scenario taken when the caller presses nothing (or an unknown button). */
  defaultScenario: string;
}

export interface PriceEntry {
  prefix: string;
  description: string;
  /** Per-minute rate. */
  price: number;
}

export interface WebhookSettings {
  /** PBX call notifications URL (`/v1/pbx/callinfo/url/`). Empty = none. */
  callinfoUrl: string;
  notifications: {
    notify_start: boolean;
    notify_internal: boolean;
    notify_end: boolean;
    notify_out_start: boolean;
    notify_out_end: boolean;
    notify_answer: boolean;
  };
  /** No API toggle exists for NOTIFY_RECORD (a cabinet checkbox, §4.9). */
  notifyRecord: boolean;
  /** Other events URL (`/v1/pbx/webhooks/url/`). Empty = none. */
  eventsUrl: string;
  hooks: { number_lookup: boolean; call_tracking: boolean; sms: boolean; speech_recognition: boolean };
}

export interface SimState {
  account: {
    pbxId: number;
    balance: number;
    currency: string;
    /** `UTC+3` style label (§4.1). */
    timezone: string;
  };
  extensions: Extension[];
  numbers: DirectNumber[];
  sips: SipAccount[];
  menus: Menu[];
  prices: PriceEntry[];
  webhooks: WebhookSettings;
}

function extension(number: string, name: string): Extension {
  return {
    number,
    name,
    online: true,
    callerId: '442037691999',
    recording: true,
    speechRecognition: 'off',
    lines: 3,
    redirection: { status: 'off', type: 'phone', destination: '', condition: 'noanswer' },
  };
}

/** The default account: extensions 100–105, a London number ringing 100–102 and a Paris number with a menu. */
export function defaultState(): SimState {
  return {
    account: { pbxId: 12345, balance: 100, currency: 'USD', timezone: 'UTC+3' },
    extensions: [
      extension('100', 'Reception'),
      extension('101', 'Sales 1'),
      extension('102', 'Sales 2'),
      extension('103', 'Support 1'),
      extension('104', 'Support 2'),
      extension('105', 'Manager'),
    ],
    numbers: [
      {
        number: '442037691999',
        country: 'United Kingdom',
        description: 'London',
        sip: '00001',
        route: { type: 'group', extensions: ['100', '101', '102'] },
        monthlyFee: 2,
        channels: 2,
      },
      {
        number: '33187654321',
        country: 'France',
        description: 'Paris',
        sip: '00001',
        route: { type: 'menu', menuId: '0' },
        monthlyFee: 3,
        channels: 2,
      },
    ],
    sips: [{ id: '00001', displayName: 'Office', lines: 3, callerId: '442037691999' }],
    menus: [
      {
        id: '0',
        name: 'Main menu',
        greetingSeconds: 4,
        scenarios: [
          { id: '1', button: '1', extensions: ['101', '102'] },
          { id: '2', button: '2', extensions: ['103', '104'] },
          { id: '3', button: '0', extensions: ['100'] },
        ],
        defaultScenario: '3',
      },
    ],
    prices: [
      { prefix: '4420', description: 'United Kingdom, London', price: 0.009 },
      { prefix: '447', description: 'United Kingdom, Mobile', price: 0.05 },
      { prefix: '44', description: 'United Kingdom', price: 0.012 },
      { prefix: '336', description: 'France, Mobile', price: 0.04 },
      { prefix: '33', description: 'France', price: 0.012 },
      { prefix: '', description: 'Other destinations', price: 0.1 },
    ],
    webhooks: {
      callinfoUrl: '',
      notifications: {
        notify_start: true,
        notify_internal: true,
        notify_end: true,
        notify_out_start: true,
        notify_out_end: true,
        notify_answer: true,
      },
      notifyRecord: true,
      eventsUrl: '',
      hooks: { number_lookup: true, call_tracking: true, sms: true, speech_recognition: true },
    },
  };
}

/** A state as it may appear in a JSON file: any part may be left out and takes the default. */
export type SimStateInput = {
  readonly account?: Partial<SimState['account']>;
  readonly extensions?: readonly (Partial<Extension> & { readonly number: string })[];
  readonly numbers?: readonly (Partial<DirectNumber> & { readonly number: string })[];
  readonly sips?: readonly SipAccount[];
  readonly menus?: readonly Menu[];
  readonly prices?: readonly PriceEntry[];
  readonly webhooks?: Partial<Omit<WebhookSettings, 'notifications' | 'hooks'>> & {
    readonly notifications?: Partial<WebhookSettings['notifications']>;
    readonly hooks?: Partial<WebhookSettings['hooks']>;
  };
};

/** Thrown for a state that cannot be used; lists every problem found. */
export class StateError extends Error {
  override readonly name = 'StateError';
}

/**
 * Builds a complete state from a partial one and checks it. Why: a state file is written by hand, so a
 * typo must be reported by name rather than surface later as a silent routing difference.
 */
export function buildState(input: SimStateInput = {}): SimState {
  const base = defaultState();
  const state: SimState = {
    account: { ...base.account, ...input.account },
    extensions: input.extensions
      ? input.extensions.map((e) => ({ ...extension(e.number, `Extension ${e.number}`), ...e }))
      : base.extensions,
    numbers: input.numbers
      ? input.numbers.map((n) => ({
          country: '',
          description: '',
          sip: base.sips[0]?.id ?? '00001',
          route: { type: 'group', extensions: [] },
          monthlyFee: 2,
          channels: 2,
          ...n,
        }))
      : base.numbers,
    sips: input.sips ? input.sips.map((s) => ({ ...s })) : base.sips,
    menus: input.menus
      ? input.menus.map((m) => ({ ...m, scenarios: m.scenarios.map((s) => ({ ...s })) }))
      : base.menus,
    prices: input.prices ? input.prices.map((p) => ({ ...p })) : base.prices,
    webhooks: {
      ...base.webhooks,
      ...input.webhooks,
      notifications: { ...base.webhooks.notifications, ...input.webhooks?.notifications },
      hooks: { ...base.webhooks.hooks, ...input.webhooks?.hooks },
    },
  };
  const problems = checkState(state);
  if (problems.length > 0) {
    throw new StateError(`invalid simulator state: ${problems.join('; ')}`);
  }
  return state;
}

function checkState(state: SimState): string[] {
  const problems: string[] = [];
  if (parseTimezoneLabel(state.account.timezone) === null) {
    problems.push(`account.timezone "${state.account.timezone}" is not like UTC+3`);
  }
  if (typeof state.account.balance !== 'number') {
    problems.push('account.balance must be a number');
  }
  const extensions = new Set<string>();
  for (const e of state.extensions) {
    if (!/^[0-9]{3}$/.test(e.number)) {
      problems.push(`extension "${e.number}" must be three digits`);
    }
    if (extensions.has(e.number)) {
      problems.push(`extension ${e.number} is listed twice`);
    }
    extensions.add(e.number);
  }
  const menus = new Map(state.menus.map((m) => [m.id, m]));
  for (const n of state.numbers) {
    if (!/^[0-9]{7,15}$/.test(n.number)) {
      problems.push(`number "${n.number}" must be 7–15 digits without +`);
    }
    if (n.route.type === 'group') {
      for (const e of n.route.extensions) {
        if (!extensions.has(e)) {
          problems.push(`number ${n.number} rings unknown extension ${e}`);
        }
      }
    } else if (!menus.has(n.route.menuId)) {
      problems.push(`number ${n.number} routes to unknown menu ${n.route.menuId}`);
    }
  }
  for (const m of state.menus) {
    if (!m.scenarios.some((s) => s.id === m.defaultScenario)) {
      problems.push(`menu ${m.id} has no default scenario ${m.defaultScenario}`);
    }
    for (const s of m.scenarios) {
      for (const e of s.extensions) {
        if (!extensions.has(e)) {
          problems.push(`menu ${m.id} scenario ${s.id} rings unknown extension ${e}`);
        }
      }
    }
  }
  return problems;
}

/** The account's offset from UTC in minutes. Why: every date Zadarma shows is wall-clock time there. */
export function timezoneOffset(state: SimState): number {
  return parseTimezoneLabel(state.account.timezone) ?? 0;
}

/** The extension with this number, if the account has it. */
export function findExtension(state: SimState, number: string): Extension | undefined {
  return state.extensions.find((e) => e.number === number);
}

/** The price row with the longest prefix matching a destination (what `/v1/info/price/` and billing use). */
export function priceFor(state: SimState, destination: string): PriceEntry {
  const digits = destination.replace(/^\+/, '');
  let best: PriceEntry = { prefix: '', description: 'Other destinations', price: 0.1 };
  for (const p of state.prices) {
    if (digits.startsWith(p.prefix) && p.prefix.length >= best.prefix.length) {
      best = p;
    }
  }
  return best;
}
