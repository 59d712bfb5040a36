/** The shape of one REST method and helpers to read its parameters the way Zadarma validates them. */
import type { PhpArray } from '@switchboard/zadarma';
import type { SimContext } from '../context.js';
import { badParam } from './errors.js';

export interface RestRequest {
  readonly method: string;
  /** Captures of the route pattern (e.g. the extension in `pbx/internal/100/status`). */
  readonly match: readonly string[];
  readonly params: PhpArray;
  readonly sim: SimContext;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Matches the method path without `/v1/` and without the trailing slash, e.g. `^pbx/internal/(\d+)/status$`. */
  readonly pattern: RegExp;
  /** Counts against the statistics limit (3/min). */
  readonly statistics?: boolean;
  readonly handler: (req: RestRequest) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** A single text parameter, or `undefined`; a bracketed array is refused. */
export function optional(req: RestRequest, name: string): string | undefined {
  const value = req.params.get(name);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw badParam(name, 'must be a single value');
  }
  return value;
}

/** A required text parameter; 400 naming it when missing or empty. */
export function required(req: RestRequest, name: string): string {
  const value = optional(req, name);
  if (value === undefined || value === '') {
    throw badParam(name, 'is required');
  }
  return value;
}

/** A parameter that must match `pattern`. */
export function matching(
  req: RestRequest,
  name: string,
  pattern: RegExp,
  what: string,
  mandatory: boolean,
): string | undefined {
  const value = mandatory ? required(req, name) : optional(req, name);
  if (value !== undefined && value !== '' && !pattern.test(value)) {
    throw badParam(name, `must be ${what}, got "${value}"`);
  }
  return value === '' ? undefined : value;
}

/** One of a fixed set of values. */
export function oneOf<T extends string>(
  req: RestRequest,
  name: string,
  values: readonly T[],
  mandatory: boolean,
): T | undefined {
  const value = mandatory ? required(req, name) : optional(req, name);
  if (value === undefined || value === '') {
    return undefined;
  }
  if (!values.includes(value as T)) {
    throw badParam(name, `must be one of ${values.join(', ')}, got "${value}"`);
  }
  return value as T;
}

/** An integer within bounds, or the fallback when absent. */
export function integer(req: RestRequest, name: string, min: number, max: number, fallback: number): number {
  const value = optional(req, name);
  if (value === undefined || value === '') {
    return fallback;
  }
  if (!/^-?[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw badParam(name, `must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

export const PHONE = /^\+?[0-9]{7,15}$/;
export const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
