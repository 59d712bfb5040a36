/** Small helpers for the benchmark: percentiles and a result table with PASS/FAIL per target. */

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export interface Summary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    n: sorted.length,
  };
}

export interface Row {
  what: string;
  measured: string;
  target: string;
  /** true PASS, false FAIL, null informational. */
  pass: boolean | null;
}

export function printTable(rows: readonly Row[]): void {
  const headers = ['measurement', 'result', 'target', 'verdict'];
  const cells = rows.map((r) => [
    r.what,
    r.measured,
    r.target,
    r.pass === null ? 'info' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) {
    console.log(line(c));
  }
}

export const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
export const ms = (n: number) => `${n.toFixed(2)} ms`;
