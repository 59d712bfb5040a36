/** The `Clock` port on the system clock. */
import type { Clock } from '../ports.js';

/** `Date.now()`. Why: the one place the webhook path reads the system's time. */
export const systemClock: Clock = { now: () => Date.now() };
