// Issue 11 (call log and statistics) in a real browser against the demo's own simulator: the statistics page
// shows, for a scenario of simulator calls, the figures this test computes on its own from the raw
// notifications the simulator sent; the call log's filters, call page and CSV export work.
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  DEMO_NUMBER,
  newPage,
  type RunningApp,
  randomMobile,
  type Simulator,
  shot,
  signIn,
  startDemoRig,
  stopDemoRig,
} from './harness.js';

interface SimTrace {
  pbxCallId: string;
  webhooks: { event: string; fields: Record<string, string> }[];
}

let app: RunningApp;
let browser: Browser;
let sim: Simulator;
let admin: ApiSession;
const open: BrowserContext[] = [];
const MISSED = new Set(['no answer', 'busy', 'cancel']);

/** Plays a call on the simulator and waits for it to finish; returns its trace (every notification sent). */
async function play(kind: 'inbound' | 'outbound', body: Record<string, unknown>): Promise<SimTrace> {
  const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', `/_sim/calls/${kind}`, body);
  return sim<SimTrace>('GET', `/_sim/calls/${pbxCallId}?wait=60000`);
}

interface Figures {
  inbound: number;
  outbound: number;
  answered: number;
  missed: number;
  notReturned: number;
}

/**
 * The scenario's figures from the simulator's raw notifications alone: one NOTIFY_END per inbound call, one
 * NOTIFY_OUT_END per outbound call; a missed call is returned when a later connected call has the same number.
 */
function expectedFrom(traces: readonly SimTrace[]): Figures {
  const ends = traces.map((t) => {
    const end = t.webhooks.find((w) => w.event === 'NOTIFY_END' || w.event === 'NOTIFY_OUT_END');
    if (!end) {
      throw new Error(`call ${t.pbxCallId} sent no end notification`);
    }
    const inbound = end.event === 'NOTIFY_END';
    return {
      inbound,
      disposition: end.fields.disposition as string,
      number: ((inbound ? end.fields.caller_id : end.fields.destination) as string).replace(/^\+/, ''),
      start: end.fields.call_start as string,
    };
  });
  const missed = ends.filter((e) => e.inbound && MISSED.has(e.disposition));
  return {
    inbound: ends.filter((e) => e.inbound).length,
    outbound: ends.filter((e) => !e.inbound).length,
    answered: ends.filter((e) => e.inbound && e.disposition === 'answered').length,
    missed: missed.length,
    notReturned: missed.filter(
      (m) => !ends.some((e) => e.number === m.number && e.start > m.start && e.disposition === 'answered'),
    ).length,
  };
}

async function readKpis(page: Page): Promise<Figures> {
  const value = async (id: string) => {
    const text = await page.locator(`[data-kpi="${id}"] [data-value]`).textContent();
    return Number((text ?? '').replace(/[^\d]/g, ''));
  };
  return {
    inbound: await value('inbound'),
    outbound: await value('outbound'),
    answered: await value('answered'),
    missed: await value('missed'),
    notReturned: await value('notReturned'),
  };
}

beforeAll(async () => {
  ({ app, browser, sim, admin } = await startDemoRig());
});

afterAll(async () => {
  await stopDemoRig({ app, browser }, open);
});

describe('browser: the call log and the statistics', () => {
  const numbers = { a: randomMobile('+3362'), b: randomMobile('+3362'), c: randomMobile('+3362') };
  const ids: Record<string, string> = {};

  it('shows on the statistics page the figures computed independently from the simulator’s raw events', async () => {
    const { context, page } = await newPage(browser, app.baseUrl, { width: 1440, height: 900 });
    open.push(context);
    await signIn(page, 'admin@example.com');
    await page.goto('/statistics?period=today');
    await page.locator('[data-kpi="inbound"] [data-value]').waitFor();
    const before = await readKpis(page);

    const traces = [
      await play('inbound', {
        from: numbers.a,
        to: DEMO_NUMBER,
        answer: '101',
        talkSeconds: 2,
        ringSeconds: 1,
      }),
      await play('inbound', {
        from: numbers.b,
        to: DEMO_NUMBER,
        answer: null,
        outcome: 'cancel',
        ringSeconds: 1,
      }),
      await play('inbound', { from: numbers.c, to: DEMO_NUMBER, answer: null, outcome: 'busy' }),
      await play('outbound', { extension: '102', to: numbers.b, talkSeconds: 2, ringSeconds: 1 }),
      await play('inbound', {
        from: numbers.a,
        to: DEMO_NUMBER,
        answer: '102',
        talkSeconds: 1,
        ringSeconds: 1,
      }),
      await play('outbound', { extension: '103', to: numbers.c, outcome: 'busy' }),
    ];
    ids.b = traces[1]?.pbxCallId as string;
    ids.c = traces[2]?.pbxCallId as string;
    const delta = expectedFrom(traces);
    expect(delta).toEqual({ inbound: 4, outbound: 2, answered: 2, missed: 2, notReturned: 1 });
    const expected: Figures = {
      inbound: before.inbound + delta.inbound,
      outbound: before.outbound + delta.outbound,
      answered: before.answered + delta.answered,
      missed: before.missed + delta.missed,
      notReturned: before.notReturned + delta.notReturned,
    };
    // Fresh within seconds: the page refetches; a reload shows the same at once.
    await page.reload();
    await expect.poll(() => readKpis(page), { timeout: 10_000 }).toEqual(expected);
    await page.locator('[data-testid="stats-heatmap"] canvas').first().waitFor();
    await shot(page, 'statistics-en');

    // A figure opens the calls behind it: the missed calls of today include the two of the scenario.
    await page.locator('[data-kpi="missed"]').click();
    await page.waitForURL(/\/calls\?.*outcome=missed/);
    await page.locator(`[data-testid="call-row"][data-pbx-call-id="${ids.b}"]`).waitFor();
    await page.locator(`[data-testid="call-row"][data-pbx-call-id="${ids.c}"]`).waitFor();
    const outcomes = await page
      .locator('[data-testid="call-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
    expect(outcomes.every((o) => ['no_answer', 'busy', 'cancelled', 'ivr_hangup'].includes(o ?? ''))).toBe(
      true,
    );
    // The simulator plays the six calls in real time (demo speed 1): about 40 s of calls on their own.
  }, 150_000);

  it('opens, from each class of missed calls, exactly the missed calls of that class', async () => {
    // D misses us, then calls back and is answered: the client called back. B was returned by 102 (within N
    // minutes), C never (our call back was busy).
    const d = randomMobile('+3362');
    const missedD = await play('inbound', { from: d, to: DEMO_NUMBER, answer: null, outcome: 'cancel' });
    await play('inbound', { from: d, to: DEMO_NUMBER, answer: '101', talkSeconds: 1, ringSeconds: 1 });
    const classOf: Record<string, string> = {
      [ids.b as string]: 'returned_within_n',
      [ids.c as string]: 'not_returned',
      [missedD.pbxCallId]: 'client_called_back',
    };
    const { context, page } = await newPage(browser, app.baseUrl, { width: 1440, height: 900 });
    open.push(context);
    await signIn(page, 'admin@example.com');
    const classes = [
      'client_called_back',
      'returned_within_n',
      'returned_within_24h',
      'returned_later',
      'not_returned',
    ];
    for (const missedClass of classes) {
      await page.goto('/statistics?period=today');
      const figure = page.locator(`[data-testid="stats-missed-classes"] [data-figure="${missedClass}"]`);
      await figure.waitFor();
      // The figure counts D's calls once they are folded (fresh within seconds).
      await expect
        .poll(async () => Number(((await figure.textContent()) ?? '').replace(/[^\d]/g, '')), {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(missedClass === 'client_called_back' ? 1 : 0);
      const count = Number(((await figure.textContent()) ?? '').replace(/[^\d]/g, ''));
      await figure.click();
      await page.waitForURL(new RegExp(`/calls\\?.*fate=${missedClass}`));
      // Every page of the log: as many calls as the figure, each a missed inbound call.
      const listed = async () => {
        const more = page.getByTestId('calls-more');
        const rows = page.locator('[data-testid="call-row"]');
        while (await more.isVisible()) {
          const before = await rows.count();
          await more.click();
          await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(before);
        }
        return page
          .locator('[data-testid="call-row"]')
          .evaluateAll((rows) =>
            rows.map((r) => [r.getAttribute('data-pbx-call-id'), r.getAttribute('data-outcome')] as const),
          );
      };
      await expect.poll(async () => (await listed()).length, { timeout: 10_000 }).toBe(count);
      const rows = await listed();
      expect(rows.every(([, o]) => ['no_answer', 'busy', 'cancelled', 'ivr_hangup'].includes(o ?? ''))).toBe(
        true,
      );
      const ids = new Set(rows.map(([id]) => id));
      for (const [pbxCallId, expected] of Object.entries(classOf)) {
        expect(ids.has(pbxCallId), `${pbxCallId} under ${missedClass}`).toBe(expected === missedClass);
      }
    }
  }, 150_000);

  it('opens, from a cell of the heatmap, the incoming calls of that weekday and hour', async () => {
    const { context, page } = await newPage(browser, app.baseUrl, { width: 1440, height: 900 });
    open.push(context);
    await signIn(page, 'admin@example.com');
    // The cell of B's missed call, in the browser's own time zone (the page's).
    const log = await admin.get<{ items: { pbxCallId: string; startedAt: string }[] }>(
      `/api/call-log?client=${encodeURIComponent(numbers.b)}&limit=10`,
    );
    const startedAt = log.items.find((c) => c.pbxCallId === ids.b)?.startedAt as string;
    const cell = await page.evaluate((at) => {
      const d = new Date(at);
      return { weekday: (d.getDay() + 6) % 7, hour: d.getHours() };
    }, startedAt);
    await page.goto('/statistics?period=today');
    const heatmap = page.getByTestId('stats-heatmap');
    await heatmap.locator('canvas').first().waitFor();
    const box = await heatmap.boundingBox();
    if (!box) {
      throw new Error('the heatmap has no box');
    }
    // The chart's grid: 48 px left, 16 right, 8 top, 56 bottom; 24 hours across, 7 days down (Monday first).
    // Positions are the chart's own (Playwright scrolls it into view).
    const position = {
      x: 48 + ((cell.hour + 0.5) * (box.width - 64)) / 24,
      y: 8 + ((cell.weekday + 0.5) * (box.height - 64)) / 7,
    };
    // The chart draws its option just after its canvas appears: click until the cell answers.
    const cellUrl = new RegExp(`/calls\\?.*weekday=${cell.weekday}&hour=${cell.hour}`);
    await expect
      .poll(
        async () => {
          if (!cellUrl.test(page.url())) {
            await heatmap.click({ position });
          }
          return page.url();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toMatch(cellUrl);
    await page.getByTestId('calls-cell-chip').waitFor();
    await page.locator(`[data-testid="call-row"][data-pbx-call-id="${ids.b}"]`).waitFor();
    // Only incoming calls of that hour: the outbound call back to B is not in the cell's list.
    const listed = await page
      .locator('[data-testid="call-row"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pbx-call-id') ?? ''));
    expect(listed.every((id) => id.startsWith('in_'))).toBe(true);
    await shot(page, 'calls-heatmap-cell-en');
  });

  it('filters the log to missed calls not returned, exports them, and opens a call’s page', async () => {
    const { context, page } = await newPage(browser, app.baseUrl, { width: 1440, height: 900 });
    open.push(context);
    await signIn(page, 'admin@example.com');
    await page.goto('/calls');
    await page.locator('[data-testid="call-row"]').first().waitFor();
    await shot(page, 'calls-en');
    await page.getByTestId('calls-not-returned').click();
    await page.waitForURL(/notReturned=true/);
    await page.locator(`[data-testid="call-row"][data-pbx-call-id="${ids.c}"]`).waitFor();
    // B was returned by extension 102: it leaves the list once the filtered page replaces the previous one.
    await expect
      .poll(() => page.locator(`[data-testid="call-row"][data-pbx-call-id="${ids.b}"]`).count(), {
        timeout: 10_000,
      })
      .toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('calls-export').click(),
    ]);
    const csv = await readFile((await download.path()) as string, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('attribution_rule');
    expect(csv).toContain(ids.c);
    expect(csv).not.toContain(ids.b);
    const rows = await page.locator('[data-testid="call-row"]').count();
    expect(lines.length - 1).toBeGreaterThanOrEqual(rows);

    await page.locator(`[data-testid="call-row"][data-pbx-call-id="${ids.c}"] a[href^="/calls/"]`).click();
    await page.getByTestId('call-fate').waitFor();
    expect(await page.getByTestId('call-fate').textContent()).toBe('Not returned');
    expect(await page.getByTestId('call-outcome').textContent()).toBe('Busy');
    await page.getByTestId('call-legs').waitFor();
    await shot(page, 'call-en');
  });

  it('speaks French to a French agent on the same pages', async () => {
    const { context, page } = await newPage(browser, app.baseUrl, {
      width: 1440,
      height: 900,
      locale: 'fr-FR',
    });
    open.push(context);
    // The sign-in page may already speak French: sign in through the demo account list and the submit button.
    await page.goto('/');
    await page.getByText('agent1@example.com', { exact: true }).click();
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('user-menu').waitFor();
    await page.goto('/statistics?period=30d');
    await page.locator('[data-kpi="inbound"] [data-value]').waitFor();
    await page.getByText('Taux de réponse').first().waitFor();
    await page.locator('[data-testid="stats-trend"] canvas').first().waitFor();
    await shot(page, 'statistics-fr');
    await page.goto('/calls');
    await page.locator('[data-testid="call-row"]').first().waitFor();
    await page.getByText('Manqués non rappelés').waitFor();
    await shot(page, 'calls-fr');
    await page.locator('[data-testid="call-row"] a[href^="/calls/"]').first().click();
    await page.getByTestId('call-legs').waitFor();
    await shot(page, 'call-fr');
  });
});
