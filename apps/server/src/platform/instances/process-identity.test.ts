import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import {
  currentProcessIdentity,
  madeByDeadProcess,
  type ProcessIdentity,
  processScopedId,
} from './process-identity.js';

const STARTED = Date.parse('2026-12-04T12:00:00.000Z');
const SELF: ProcessIdentity = { place: 'a1b2c3d4e5f60718', pid: 4242, startedAt: STARTED };
const runs =
  (...pids: number[]) =>
  (pid: number) =>
    pids.includes(pid);

describe('process-scoped ids', () => {
  it('name the place and the PID of their process, and differ each time', () => {
    const me = currentProcessIdentity();
    expect(me).toMatchObject({ pid: process.pid, place: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(me.startedAt).toBeLessThanOrEqual(Date.now());
    expect(currentProcessIdentity()).toBe(me);
    const id = processScopedId(SELF);
    expect(id).toMatch(/^[0-9a-f-]{36}\.a1b2c3d4e5f60718\.4242$/);
    expect(processScopedId(SELF)).not.toBe(id);
  });

  it('are dead when made here by a process that runs no more', () => {
    expect(madeByDeadProcess(processScopedId({ ...SELF, pid: 77 }), SELF, runs())).toBe(true);
    expect(madeByDeadProcess(processScopedId({ ...SELF, pid: 77 }), SELF, runs(77))).toBe(false);
  });

  it('are dead when made here with this PID before this process started (a restarted container)', () => {
    expect(madeByDeadProcess(processScopedId(SELF, STARTED - 1), SELF, runs(4242))).toBe(true);
    // Made by this very process: alive, whoever holds it.
    expect(madeByDeadProcess(processScopedId(SELF, STARTED + 1), SELF, runs(4242))).toBe(false);
  });

  it('are never judged when made elsewhere or naming no process', () => {
    const elsewhere = { ...SELF, place: '0f1e2d3c4b5a6978', pid: 77 };
    expect(madeByDeadProcess(processScopedId(elsewhere), SELF, runs())).toBe(false);
    expect(madeByDeadProcess(newId(), SELF, runs())).toBe(false);
    expect(madeByDeadProcess('legacy-worker', SELF, runs())).toBe(false);
    expect(madeByDeadProcess(`${newId()}.a1b2c3d4e5f60718.x`, SELF, runs())).toBe(false);
  });

  it('ask the system by default: an exited child is dead, the parent alive', () => {
    const me = currentProcessIdentity();
    const exited = spawnSync(process.execPath, ['-e', '0']).pid as number;
    expect(madeByDeadProcess(processScopedId({ ...me, pid: exited }))).toBe(true);
    expect(madeByDeadProcess(processScopedId({ ...me, pid: process.ppid }))).toBe(false);
    expect(madeByDeadProcess(processScopedId())).toBe(false);
  });
});
