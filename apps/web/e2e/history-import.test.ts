// Issue 11 (history import and reconciliation) in a real browser against the demo server's own simulator: calls the
// simulator played while its webhooks went nowhere are imported from the telephony settings card — through
// Zadarma's 429s, which the run waits out with its progress bar showing — and the report says what was healed;
// "Reconcile now" then finds nothing missing.
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  type RunningApp,
  type Simulator,
  shot,
  signedInPage,
  startDemoRig,
  stopDemoRig,
} from './harness.js';

const SHOTS_DIR = process.env.SB_SHOTS_DIR ?? '/tmp/shots';

let app: RunningApp;
let browser: Browser;
let admin: ApiSession;
let sim: Simulator;
const open: BrowserContext[] = [];

beforeAll(async () => {
  ({ app, browser, admin, sim } = await startDemoRig());
});

afterAll(async () => {
  await stopDemoRig({ app, browser }, open);
});

describe('browser: the call history import', () => {
  it('imports calls whose webhooks never arrived, shows the progress and the report, then reconciles', async () => {
    // Three calls whose notifications go nowhere: only Zadarma's statistics know them.
    await sim('PUT', '/_sim/webhook-url', { url: null });
    const placed: string[] = [];
    for (const input of [
      { from: '+33612000001', answer: '101', talkSeconds: 3 },
      { from: '+33612000002', answer: '102', talkSeconds: 4 },
      { from: '+33612000003', answer: null },
    ]) {
      const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
        ...input,
        to: '442037691999',
        ringSeconds: 1,
        record: false,
      });
      placed.push(pbxCallId);
    }
    for (const pbxCallId of placed) {
      await sim('GET', `/_sim/calls/${pbxCallId}?wait=60000`);
    }
    await sim('PUT', '/_sim/webhook-url', { url: `${app.baseUrl}/zadarma` });
    // Zadarma answers 429 three times: the SDK's own retries give up, the run waits from its cursor and goes on.
    await sim('PUT', '/_sim/faults', { rest: [{ path: 'statistics/pbx', status: 429, count: 3 }] });

    const p = (await signedInPage(browser, app.baseUrl, 'admin@example.com', open)).page;
    await p.goto('/admin/telephony');
    const card = p.getByTestId('history-import-card');
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    await card.getByTestId('history-days').fill('7');
    await card.getByTestId('history-start').click();
    // The run in progress: its bar, and "waiting for Zadarma" while the 429 is waited out.
    const run = card.getByTestId('history-import-run');
    await run.locator('.mantine-Progress-root').waitFor({ timeout: 20_000 });
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 20_000 }).toBe('waiting');
    await expect.poll(async () => (await card.textContent()) ?? '').toContain('Waiting for Zadarma');
    await shot(p, 'history-import-progress');
    await card.screenshot({ path: join(SHOTS_DIR, 'history-import-card-progress.png') });

    // Done: all three imported, exactly once.
    await expect
      .poll(() => run.getAttribute('data-status'), { timeout: 120_000, interval: 500 })
      .toBe('done');
    const report = await card.getByTestId('history-import-run-report').textContent();
    expect(report).toMatch(/^\d+ calls? checked, 3 missing, 3 healed\.$/);
    const calls = await admin.get<{ items: { pbxCallId: string; status: string }[] }>(
      '/api/calls?pageSize=100',
    );
    for (const pbxCallId of placed) {
      expect(calls.items.filter((c) => c.pbxCallId === pbxCallId)).toHaveLength(1);
    }
    expect(calls.items.find((c) => c.pbxCallId === placed[2])?.status).toBe('missed');

    // Reconcile now: the same calls are checked again, and nothing is missing any more.
    await card.getByTestId('history-reconcile').click();
    const reconciled = card.getByTestId('history-reconcile-run');
    await expect
      .poll(() => reconciled.getAttribute('data-status'), { timeout: 120_000, interval: 500 })
      .toBe('done');
    expect(await card.getByTestId('history-reconcile-run-report').textContent()).toMatch(
      /^\d+ calls? checked, 0 missing, 0 healed\.$/,
    );
    await card.scrollIntoViewIfNeeded();
    await shot(p, 'history-import-report');
    await card.screenshot({ path: join(SHOTS_DIR, 'history-import-card-report.png') });
  }, 240_000);
});
