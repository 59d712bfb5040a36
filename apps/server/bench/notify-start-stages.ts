/**
 * The NOTIFY_START bench's server-side timer, taken apart: for each NOTIFY_START the moments it passed on the
 * server, read from the outside (the `request` event, the ingest's `handle`, the adapters' settings read, inbox
 * append and refusal write, the reply's `finish`), and the time before the server saw it at all (the client's
 * stamp once the request has its socket → the `request` event: the event loop busy elsewhere when it arrived). Printed as p50 / p99 of each
 * part, and what each part averages among the slowest 1 %: the part that owns the tail. Not a unit test.
 * Why: issue 12's p99 has to be taken apart before it can be cut (the ingest's synchronous work, GC, the store,
 * the decision or the reply write).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import { telephonyLiveOf } from '../src/modules/telephony/telephony-module.js';
import type { BenchServer } from './bench-server.js';
import { ms, summarize } from './stats.js';

/** Header the load generator stamps each request with once it has a socket: ms since the epoch, with fractions. */
export const SENT_HEADER = 'x-bench-sent';
/** Header naming the call (its pbx_call_id), so the server's moments of one request can be matched. */
export const CALL_HEADER = 'x-bench-call';

/** Now on a clock two processes of this machine share, ms since the epoch with sub-ms precision. */
export const sharedNow = () => performance.timeOrigin + performance.now();

/** The moments of one NOTIFY_START on the server (performance.now() of the server process), NaN when unseen. */
interface Moments {
  /** The client's send stamp, on the server's `performance.now()` scale. */
  sent: number;
  request: number;
  handle: number;
  settingsRead: number;
  appendCalled: number;
  stored: number;
  refusalCalled: number;
  refusalStored: number;
  handled: number;
  finished: number;
  /** GC pauses overlapping [request, finished], ms. */
  gc: number;
  /** Whether the event loop turned between the request event and the reply's `finish` (see `StageTimer.turns`). */
  turned: boolean;
}

/** The parts a NOTIFY_START's time is split into, in order; `server` is their sum but for `arrival`. */
const PARTS = [
  ['arrival', 'waiting to be read (sent on its socket → request event)'],
  ['body', 'body read, raw route (request event → ingest)'],
  ['settings', 'settings read'],
  ['verify', 'verify (signature, freshness)'],
  ['store', 'inbox append (commit)'],
  ['decide', 'decision after the store'],
  ['refusal', 'refusal write (blocked callers)'],
  ['reply', 'reply write (ingest → flushed)'],
  ['server', 'server-side total'],
  ['gc', 'of which GC pauses'],
] as const;

type Part = (typeof PARTS)[number][0];

function partsOf(m: Moments): Record<Part, number> {
  const storedOrCalled = Number.isNaN(m.stored) ? m.appendCalled : m.stored;
  const decidedAt = Number.isNaN(m.refusalCalled) ? m.handled : m.refusalCalled;
  return {
    arrival: m.request - m.sent,
    body: m.handle - m.request,
    settings: m.settingsRead - m.handle,
    verify: m.appendCalled - m.settingsRead,
    store: m.stored - m.appendCalled,
    // The decision runs while the entry is stored: only what it takes beyond the store is on the reply's path.
    decide: Math.max(0, decidedAt - storedOrCalled),
    refusal: Number.isNaN(m.refusalCalled) ? 0 : m.refusalStored - m.refusalCalled,
    reply: m.finished - m.handled,
    server: m.finished - m.request,
    gc: m.gc,
  };
}

export interface StageTimer {
  /** Server-side times (request event → reply flushed), ms. */
  readonly samples: number[];
  /** Inside the ingest's `handle` (verify, store, decide), ms. */
  readonly handled: number[];
  /** GC pauses meanwhile, ms. */
  readonly gc: number[];
  /** The table of parts (p50 / p99 / mean among the slowest 1 %), one line each. */
  report(): string[];
  /** The tail's largest part and its share of the slowest 1 %'s mean time, e.g. `store 61 %`. */
  tailOwner(): string;
  /**
   * What could have run inside the NOTIFY_STARTs' server-side times, one line: how many of them the event loop turned
   * during (only then can other work — a batch, an after-call job, a timer — run between their request and their
   * reply), and on SQLite how many arrived while its one connection was inside a transaction (one that let the loop
   * turn while open, which their inbox append would wait for). Why: issue 12 suspected the after-call unit of work
   * of holding SQLite's connection across awaits; this shows whether anything does.
   */
  turns(): string;
  stop(): void;
}

/**
 * Starts timing the NOTIFY_STARTs `server` receives (those the load generator marks `x-bench-kind: start`).
 * Wraps the ingest's `handle` and the adapters' `webhookSettings`, `append` and `noteRoutingRefusal` (the very
 * objects the ingest's ports are), undone by `stop`.
 */
export function timeStages(server: BenchServer): StageTimer {
  const byCall = new Map<string, Moments>();
  const byEntry = new Map<string, Moments>();
  const samples: number[] = [];
  const handled: number[] = [];
  const gcPauses: { start: number; end: number }[] = [];
  const offset = performance.timeOrigin;
  const sqlite = server.database.sqlite;
  let arrivedInTransaction = 0;
  const moments = (call: string): Moments => {
    let m = byCall.get(call);
    if (!m) {
      m = {
        sent: Number.NaN,
        request: Number.NaN,
        handle: Number.NaN,
        settingsRead: Number.NaN,
        appendCalled: Number.NaN,
        stored: Number.NaN,
        refusalCalled: Number.NaN,
        refusalStored: Number.NaN,
        handled: Number.NaN,
        finished: Number.NaN,
        gc: 0,
        turned: false,
      };
      byCall.set(call, m);
    }
    return m;
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['x-bench-kind'] !== 'start') {
      return;
    }
    const t0 = performance.now();
    const m = moments(String(req.headers[CALL_HEADER]));
    m.request = t0;
    m.sent = Number(req.headers[SENT_HEADER]) - offset;
    if (sqlite?.inTransaction) {
      arrivedInTransaction++;
    }
    // Runs at the next check phase: before `finish` only if the loop turned in between (the request event and
    // everything it calls synchronously, microtasks included, are one stretch of the poll phase).
    setImmediate(() => {
      m.turned ||= Number.isNaN(m.finished);
    });
    res.once('finish', () => {
      m.finished = performance.now();
      samples.push(m.finished - t0);
    });
  };
  server.app.server.prependListener('request', listener);

  const live = telephonyLiveOf(server.app);
  const ingest = live?.ingest;
  const handle = ingest?.handle;
  const adapters = live?.adapters;
  const settings = adapters?.settings;
  const webhookSettings = settings?.webhookSettings;
  const inbox = adapters?.inbox;
  const append = inbox?.append;
  const noteRefusal = inbox?.noteRoutingRefusal;
  // The request whose `handle` is running synchronously right now: its settings read is called in that stretch.
  let current: Moments | null = null;
  if (ingest && handle) {
    // The raw route calls `ingest.handle` on this object at each request.
    ingest.handle = async (request) => {
      // The raw route hands on node's headers, which carry every header sent.
      const headers = request.headers as Readonly<Record<string, string | string[] | undefined>>;
      const call = headers[CALL_HEADER];
      if (headers['x-bench-kind'] !== 'start' || typeof call !== 'string') {
        return handle(request);
      }
      const m = moments(call);
      m.handle = performance.now();
      current = m;
      try {
        const pending = handle(request);
        current = null;
        return await pending;
      } finally {
        current = null;
        m.handled = performance.now();
        handled.push(m.handled - m.handle);
      }
    };
  }
  if (settings && webhookSettings) {
    settings.webhookSettings = () => {
      const m = current;
      const read = webhookSettings.call(settings);
      if (m) {
        void read.then(
          () => {
            m.settingsRead = performance.now();
          },
          () => {},
        );
      }
      return read;
    };
  }
  if (inbox && append && noteRefusal) {
    inbox.append = async (entry) => {
      const m = entry.event === 'NOTIFY_START' && entry.pbxCallId ? byCall.get(entry.pbxCallId) : undefined;
      if (!m) {
        return append.call(inbox, entry);
      }
      m.appendCalled = performance.now();
      const stored = await append.call(inbox, entry);
      m.stored = performance.now();
      byEntry.set(stored.id, m);
      return stored;
    };
    inbox.noteRoutingRefusal = async (id, refusal) => {
      const m = refusal ? byEntry.get(id) : undefined;
      if (!m) {
        return noteRefusal.call(inbox, id, refusal);
      }
      m.refusalCalled = performance.now();
      try {
        return await noteRefusal.call(inbox, id, refusal);
      } finally {
        m.refusalStored = performance.now();
      }
    };
  }
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  function rows(): Record<Part, number>[] {
    const done = [...byCall.values()].filter((m) => !Number.isNaN(m.finished) && !Number.isNaN(m.handled));
    for (const m of done) {
      m.gc = 0;
      for (const pause of gcPauses) {
        const overlap = Math.min(pause.end, m.finished) - Math.max(pause.start, m.request);
        if (overlap > 0) {
          m.gc += overlap;
        }
      }
    }
    return done.map(partsOf);
  }

  function slowest(all: Record<Part, number>[]): Record<Part, number>[] {
    const sorted = [...all].sort((a, b) => b.server - a.server);
    return sorted.slice(0, Math.max(1, Math.ceil(sorted.length / 100)));
  }

  const meanOf = (list: Record<Part, number>[], part: Part) => {
    const values = list.map((r) => r[part]).filter((v) => !Number.isNaN(v));
    return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
  };

  return {
    samples,
    handled,
    get gc() {
      return gcPauses.map((p) => p.end - p.start);
    },
    report() {
      const all = rows();
      const tail = slowest(all);
      const lines = [
        `    ${'part'.padEnd(62)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'slowest 1 %, mean'.padStart(18)}`,
      ];
      for (const [part, label] of PARTS) {
        const values = all.map((r) => r[part]).filter((v) => !Number.isNaN(v));
        const s = summarize(values);
        lines.push(
          `    ${label.padEnd(62)} ${ms(s.p50).padStart(9)} ${ms(s.p99).padStart(9)} ${ms(meanOf(tail, part)).padStart(18)}`,
        );
      }
      return lines;
    },
    tailOwner() {
      const tail = slowest(rows());
      const total = meanOf(tail, 'server');
      let best: Part = 'body';
      for (const [part] of PARTS) {
        if (
          part !== 'server' &&
          part !== 'arrival' &&
          part !== 'gc' &&
          meanOf(tail, part) > meanOf(tail, best)
        ) {
          best = part;
        }
      }
      return `${best} ${((100 * meanOf(tail, best)) / total).toFixed(0)} % of ${ms(total)}`;
    },
    turns() {
      const done = [...byCall.values()].filter((m) => !Number.isNaN(m.finished));
      const turned = done.filter((m) => m.turned);
      const transaction = sqlite
        ? `; arrived while SQLite's connection was inside a transaction: ${arrivedInTransaction}`
        : '';
      return `event loop turned during the server-side time of ${turned.length} of ${done.length} NOTIFY_STARTs${turned.length > 0 ? ` (their p99 ${ms(summarize(turned.map((m) => m.finished - m.request)).p99)})` : ''}${transaction}`;
    },
    stop() {
      server.app.server.off('request', listener);
      observer.disconnect();
      if (ingest && handle) {
        ingest.handle = handle;
      }
      if (settings && webhookSettings) {
        settings.webhookSettings = webhookSettings;
      }
      if (inbox && append && noteRefusal) {
        inbox.append = append;
        inbox.noteRoutingRefusal = noteRefusal;
      }
    },
  };
}
