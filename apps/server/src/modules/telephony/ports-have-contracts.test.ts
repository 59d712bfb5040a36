/**
 * Every telephony port has a contract suite (issue 10, item 2): one `describe.each` over the in-memory adapter and
 * the real ones on both dialects, in an `adapters/*.contract.test.ts`, titled by the ports it holds to
 * (`'CallbackLoops contract: $name'`, `'NewCallers and NewCallerInbox contract: $name'`). Why a test: a port
 * added without one would otherwise go unnoticed until its adapters disagree.
 *
 * A port is an interface exported from `ports/*.ts` or a `*-ports.ts` file with at least one method. The ports
 * without a suite yet are listed below, each with why; the list only shrinks: a listed port that gets a suite
 * fails this test until it is taken off the list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const HERE = import.meta.dirname;

/** The ports with no contract suite yet, and why. */
const WITHOUT_CONTRACT: Readonly<Record<string, string>> = {
  // Zadarma's side and the disk: no in-memory/database pair to hold alike; each is tested against the simulator
  // or a real directory on its own (adapters/zadarma/*.test.ts, disk-recording-store.test.ts).
  CallHistorySource: 'Zadarma statistics pages; tested against the simulator',
  RecordingSource: 'Zadarma recording links and downloads; tested against the simulator',
  RecordingStore: 'the disk store, tested on a real directory (disk-recording-store.test.ts)',
  TelephonyProvider: 'Zadarma callbacks; tested against the simulator',
  ZadarmaAccount: 'the Zadarma client of the current credentials',
  ExtensionPresence: 'Zadarma extension states, refreshed in the background',
  // Wiring, not a storage or provider port.
  CallHistory: 'history-ports.ts: starts and stops the nightly schedule',
  AfterCallScheduler: 'one job enqueue inside the batch; the job queue has its own contract',
  HistoryJobs: 'one job enqueue; the job queue has its own contract',
};

/** Exported interfaces with a method, by name, from the ports files. */
function portsDeclared(): Map<string, string> {
  const files = [
    ...readdirSync(join(HERE, 'ports')).map((f) => join('ports', f)),
    ...readdirSync(HERE).filter((f) => f.endsWith('-ports.ts')),
  ].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const ports = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(join(HERE, file), 'utf8');
    for (const [, name, body] of text.matchAll(/^export interface (\w+)[^{]*\{\n([\s\S]*?)^\}/gm)) {
      // A method member, at the interface's own indentation: `name(`, `name?(` or `name<T>(`.
      if (/^ {2}\w+\??(<[^>\n]*>)?\(/m.test(body as string)) {
        ports.set(name as string, file);
      }
    }
  }
  return ports;
}

/** The ports each contract suite names in a `describe.each` title (`'A, B and C contract: $name'`), by file. */
function portsWithContract(): Map<string, string[]> {
  const dir = join(HERE, 'adapters');
  const named = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.contract.test.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const [, names] of text.matchAll(/describe\.each\(\w+\)\(\s*'([\w ,]+?) contract: \$name'/g)) {
      for (const name of (names as string).split(/,\s*|\s+and\s+/)) {
        named.set(name, [...(named.get(name) ?? []), file]);
      }
    }
  }
  return named;
}

describe('every telephony port has a contract suite', () => {
  const ports = portsDeclared();
  const contracts = portsWithContract();

  it('finds the ports and the suites (the scan itself works)', () => {
    expect(ports.get('CallerHistory')).toBe(join('ports', 'webhook-path.ts'));
    expect(ports.get('RecordingRepository')).toBe(join('ports', 'recordings.ts'));
    // A data shape is not a port.
    expect(ports.has('StoredCall')).toBe(false);
    expect(contracts.get('WrapUpCards')).toEqual(['wrap-up-cards.contract.test.ts']);
  });

  it('has a suite for every port not listed as still without one', () => {
    const missing = [...ports.keys()].filter((name) => !contracts.has(name) && !(name in WITHOUT_CONTRACT));
    expect(missing, 'ports without a contract suite: add one (adapters/*.contract.test.ts)').toEqual([]);
  });

  it('names only ports that exist in the suites’ titles', () => {
    expect([...contracts.keys()].filter((name) => !ports.has(name))).toEqual([]);
  });

  it('lists only ports that exist and still have no suite', () => {
    const stale = Object.keys(WITHOUT_CONTRACT).filter((name) => !ports.has(name) || contracts.has(name));
    expect(stale, 'take these off WITHOUT_CONTRACT').toEqual([]);
  });
});
