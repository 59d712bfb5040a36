/**
 * Faults on demand: Zadarma's 429 and 5xx answers, and recording downloads cut halfway. Why: a CRM's retry,
 * backoff and "never store half a file" paths can only be tested against a Zadarma that fails when asked.
 */

/** The next `count` REST calls to `path` (e.g. `pbx/record/request`, no `/v1/`, no slashes around) answer `status`. */
export interface RestFault {
  readonly path: string;
  /** 429 (rate limited, with `Retry-After: 1`) or a 5xx. */
  readonly status: number;
  readonly count: number;
}

export interface FaultPlan {
  readonly rest?: readonly RestFault[];
  /** The next N recording downloads send their headers and half the file, then the connection is cut. */
  readonly cutDownloads?: number;
  /** The next N recording downloads answer 403 "Link expired", as a link past its `lifetime_till` does (§4.5). */
  readonly expiredLinks?: number;
}

/** The faults still to play, consumed as they happen. */
export interface Faults {
  rest: { path: string; status: number; remaining: number }[];
  cutDownloads: number;
  expiredLinks: number;
}

export function createFaults(): Faults {
  return { rest: [], cutDownloads: 0, expiredLinks: 0 };
}

/** Checks a plan; the message names the first bad field. Why: a typo must not silently plan nothing. */
export function checkFaultPlan(plan: unknown): string | null {
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) {
    return 'the fault plan must be an object';
  }
  const { rest, cutDownloads, expiredLinks } = plan as Record<string, unknown>;
  if (cutDownloads !== undefined && !(Number.isInteger(cutDownloads) && (cutDownloads as number) >= 0)) {
    return 'cutDownloads must be a non-negative integer';
  }
  if (expiredLinks !== undefined && !(Number.isInteger(expiredLinks) && (expiredLinks as number) >= 0)) {
    return 'expiredLinks must be a non-negative integer';
  }
  if (rest === undefined) {
    return null;
  }
  if (!Array.isArray(rest)) {
    return 'rest must be an array';
  }
  for (const [i, f] of rest.entries()) {
    const fault = f as Record<string, unknown>;
    if (typeof fault?.path !== 'string' || !/^[a-z0-9_/-]+$/.test(fault.path)) {
      return `rest[${i}].path must be a method path like "pbx/record/request"`;
    }
    const status = fault.status;
    if (
      !(
        status === 429 ||
        (Number.isInteger(status) && (status as number) >= 500 && (status as number) <= 599)
      )
    ) {
      return `rest[${i}].status must be 429 or 500–599`;
    }
    if (!(Number.isInteger(fault.count) && (fault.count as number) >= 1)) {
      return `rest[${i}].count must be a positive integer`;
    }
  }
  return null;
}

/** Replaces the faults to play with `plan` (already checked). */
export function planFaults(faults: Faults, plan: FaultPlan): void {
  faults.rest = (plan.rest ?? []).map((f) => ({
    path: f.path.replace(/^\/?(v1\/)?|\/$/g, ''),
    status: f.status,
    remaining: f.count,
  }));
  faults.cutDownloads = plan.cutDownloads ?? 0;
  faults.expiredLinks = plan.expiredLinks ?? 0;
}

/** Whether this download must be refused as an expired link (one fault consumed). */
export function takeExpiredLink(faults: Faults): boolean {
  if (faults.expiredLinks <= 0) {
    return false;
  }
  faults.expiredLinks -= 1;
  return true;
}

/** The status a REST call to `path` must fail with now (one fault consumed), or null. */
export function takeRestFault(faults: Faults, path: string): number | null {
  const fault = faults.rest.find((f) => f.remaining > 0 && f.path === path);
  if (!fault) {
    return null;
  }
  fault.remaining -= 1;
  return fault.status;
}

/** Whether this download must be cut halfway (one fault consumed). */
export function takeDownloadCut(faults: Faults): boolean {
  if (faults.cutDownloads <= 0) {
    return false;
  }
  faults.cutDownloads -= 1;
  return true;
}
