export { createWav, readWavInfo, type WavInfo } from './audio/wav.js';
export { createClock, type SimClock, SimClosedError } from './clock.js';
export type { CallbackPlan } from './context.js';
export type { FaultPlan, RestFault } from './faults.js';
export type { CallOutcome, CallTrace, RoutingStep } from './pbx/call-engine.js';
export type { CallControl, WaitDtmf } from './pbx/reply.js';
export {
  type CallbackInput,
  DEFAULT_TIMINGS,
  type InboundInput,
  type OutboundInput,
  type Outcome,
  SimInputError,
  type Timings,
} from './pbx/scenarios.js';
export { DEFAULT_RATE_LIMITS, type RateLimits } from './rest/rate-limit.js';
export { createSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
export {
  buildState,
  type DirectNumber,
  defaultState,
  type Extension,
  type ExtensionRedirection,
  type Menu,
  type MenuScenario,
  type OnOff,
  type PriceEntry,
  type Route,
  type SimState,
  type SimStateInput,
  type SipAccount,
  StateError,
  type WebhookSettings,
} from './state.js';
export type { AccountStatRow, PbxStatRow, Recording, SimData, SmsRecord } from './store.js';
export { formatZadarmaDate, parseTimezoneLabel, parseZadarmaDate } from './time-format.js';
export type { DeliveryRecord } from './webhooks/deliver.js';
export type { WebhookFormat } from './webhooks/encode.js';
