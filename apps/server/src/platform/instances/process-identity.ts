/**
 * Which process an id was made by, so that a starting process can tell that work leased by an earlier process on
 * the same machine belongs to the dead: a crash restart then resumes that work at once instead of waiting out the
 * lease. Ids carry `<uuid v7>.<place>.<pid>`; the place hashes the host name, the kernel's boot id and the PID
 * namespace (Linux; elsewhere the host name alone), so PIDs of one place are comparable.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { newId } from '../ids.js';

/** Where a process runs, which it is, and when it started (ms since the epoch). */
export interface ProcessIdentity {
  readonly place: string;
  readonly pid: number;
  readonly startedAt: number;
}

function readOr(read: () => string, fallback: string): string {
  try {
    return read().trim();
  } catch {
    return fallback;
  }
}

let current: ProcessIdentity | null = null;

/** This process's identity (computed once). */
export function currentProcessIdentity(): ProcessIdentity {
  current ??= {
    place: createHash('sha256')
      .update(
        [
          hostname(),
          readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'), ''),
          readOr(() => readlinkSync('/proc/self/ns/pid'), ''),
        ].join('\u0000'),
      )
      .digest('hex')
      .slice(0, 16),
    pid: process.pid,
    startedAt: Math.floor(performance.timeOrigin),
  };
  return current;
}

/** A new id naming the process that made it (`at`: its creation time, now by default). */
export function processScopedId(
  identity: ProcessIdentity = currentProcessIdentity(),
  at = Date.now(),
): string {
  return `${newId(at)}.${identity.place}.${identity.pid}`;
}

const SCOPED =
  /^([0-9a-f]{8})-([0-9a-f]{4})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.([0-9a-f]{16})\.(\d{1,10})$/;

/** Whether a process with this PID runs in this place (EPERM: it does, under another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `id` was made by a process of this place that is gone: its PID runs no more, or it is this process's
 * own PID but the id is older than this process (a restarted container's first process reuses its PID). False for
 * an id made elsewhere or naming no process: nothing here can tell whether that one lives.
 */
export function madeByDeadProcess(
  id: string,
  self: ProcessIdentity = currentProcessIdentity(),
  isRunning: (pid: number) => boolean = processRuns,
): boolean {
  const match = SCOPED.exec(id);
  if (!match || match[3] !== self.place) {
    return false;
  }
  const pid = Number(match[4]);
  if (pid === self.pid) {
    // The uuid v7's first 48 bits are its creation time in ms.
    return Number.parseInt(`${match[1]}${match[2]}`, 16) < self.startedAt;
  }
  return !isRunning(pid);
}
