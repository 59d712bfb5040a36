/**
 * What every driver checks and computes the same way: enqueue arguments (refused early and cheaply), the
 * retry backoff with jitter, and the wait a failed attempt's error asks for (`Retry-After`).
 */
import { AppError } from '../errors/errors.js';
import {
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueOptions,
  MAX_ATTEMPTS_LIMIT,
  MAX_KEY_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PAYLOAD_BYTES,
} from './job-queue.js';

const NAME_PATTERN = new RegExp(`^[a-z][a-z0-9_.-]{0,${MAX_NAME_LENGTH - 1}}$`, 'i');

/** Enqueue arguments after checking: the payload as JSON text, attempts bounded, a due time. */
export interface CheckedEnqueue {
  readonly name: string;
  readonly payloadJson: string;
  readonly idempotencyKey: string | null;
  readonly maxAttempts: number;
  /** Epoch ms, or null for "now". */
  readonly runAt: number | null;
}

/**
 * Checks a job's name, payload and options, and encodes the payload.
 * Why: a job row is stored and retried for days, so a bad one is refused before it is written.
 */
export function checkEnqueue(name: string, payload: unknown, options: EnqueueOptions = {}): CheckedEnqueue {
  if (!NAME_PATTERN.test(name)) {
    throw new AppError('SB_ERR_VALIDATION', `job name "${name.slice(0, 40)}" is not [a-z][a-z0-9_.-]*`);
  }
  const payloadJson = JSON.stringify(payload ?? null);
  if (payloadJson === undefined) {
    throw new AppError('SB_ERR_VALIDATION', `job ${name}: the payload is not JSON`);
  }
  // Bytes are at most 3 per UTF-16 unit: only a long text needs measuring.
  if (payloadJson.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(payloadJson) > MAX_PAYLOAD_BYTES) {
    throw new AppError('SB_ERR_PAYLOAD_TOO_LARGE', `job ${name}: payload over ${MAX_PAYLOAD_BYTES} bytes`);
  }
  const key = options.idempotencyKey ?? null;
  if (key !== null && (key.length === 0 || key.length > MAX_KEY_LENGTH)) {
    throw new AppError(
      'SB_ERR_VALIDATION',
      `job ${name}: the idempotency key must be 1–${MAX_KEY_LENGTH} chars`,
    );
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw new AppError('SB_ERR_VALIDATION', `job ${name}: maxAttempts must be 1–${MAX_ATTEMPTS_LIMIT}`);
  }
  const runAt = options.runAt ? options.runAt.getTime() : null;
  if (runAt !== null && !Number.isFinite(runAt)) {
    throw new AppError('SB_ERR_VALIDATION', `job ${name}: runAt is not a valid date`);
  }
  return { name, payloadJson, idempotencyKey: key, maxAttempts, runAt };
}

/** The retry schedule of the table and inline queues. */
export interface BackoffPolicy {
  /** Delay before the first retry, ms (default 5 s). */
  readonly baseMs: number;
  /** Longest delay, ms (default 1 h). */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 60 * 60_000 };

/**
 * The pause after the `attempt`-th failure: doubling from `baseMs`, capped at `maxMs`, and "equal jitter" —
 * half of it fixed, half random (`random()` in [0, 1)). Why: jobs that failed together (Zadarma down) must not
 * all retry in the same instant; the fixed half keeps the doubling meaningful. pg-boss uses the same formula.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/**
 * The longest wait an error's `Retry-After` gets: a server asking for more (hours, or a date next week) is not
 * taken at its word; the job is tried again after this and, still refused, asks again.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * How long the failed attempt's error asks the job to wait, ms — its own numeric `retryAfterMs`, or a cause's —
 * within [0, MAX_RETRY_AFTER_MS]; null when it says nothing. Why: a 429 of Zadarma says when its limit frees
 * (`Retry-After`, carried by `ZadarmaApiError` and the recordings' `RecordingSourceError`); retrying sooner only
 * spends the next attempt on another 429. Read by shape, so the platform knows no provider.
 */
export function retryAfterOf(error: unknown): number | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const wait = (current as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof wait === 'number' && Number.isFinite(wait)) {
      return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(wait)));
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The pause before the next attempt after `error` failed the `attempt`-th: what the error asked, else backoff. */
export function nextAttemptDelayMs(
  error: unknown,
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  return retryAfterOf(error) ?? retryDelayMs(attempt, policy, random);
}

/** The message kept as a job's last error: bounded, never a stack. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
