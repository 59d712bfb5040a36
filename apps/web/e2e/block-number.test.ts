// Issue 12 §10, "block from anywhere", against the simulator the demo server starts: an agent blocks a caller from
// the ringing call's card and the simulator shows the next call from that number refused; an admin blocks a
// client's number from a row of the call log, the contact's page then says since when, by whom and why, and the
// admin unblocks it there, after which the number rings again.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  DEMO_NUMBER,
  type RunningApp,
  randomMobile,
  type Simulator,
  shot,
  signedInPage,
  startDemoRig,
  stopDemoRig,
} from './harness.js';

interface SimTrace {
  routing: { action: string }[];
}

let app: RunningApp;
let browser: Browser;
let admin: ApiSession;
let sim: Simulator;
const open: BrowserContext[] = [];

/** What the simulator did with a call from `from` that nobody answers: its routing actions, once played. */
async function routingOf(from: string): Promise<string[]> {
  const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
    from,
    to: DEMO_NUMBER,
    answer: null,
    outcome: 'cancel',
    ringSeconds: 1,
  });
  const trace = await sim<SimTrace>('GET', `/_sim/calls/${pbxCallId}?wait=30000`);
  return trace.routing.map((r) => r.action);
}

beforeAll(async () => {
  ({ app, browser, admin, sim } = await startDemoRig());
});

afterAll(async () => {
  await stopDemoRig({ app, browser }, open);
});

describe('browser: block a number from anywhere', () => {
  it('blocks a caller from the ringing call’s card, and the next call from that number is refused', async () => {
    const page = (await signedInPage(browser, app.baseUrl, 'agent1@example.com', open, { height: 900 })).page;
    await page.locator('[data-testid="call-slot"][data-live="open"]').waitFor();
    const caller = randomMobile('+3367');
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: caller,
      to: DEMO_NUMBER,
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 30,
    });
    const card = page.locator(`[data-testid="call-popup"][data-pbx-call-id="${pbxCallId}"]`);
    await card.getByTestId('popup-in-call').waitFor();
    await card.getByTestId('block-number').click();
    await page.getByTestId('block-reason').fill('Robocall');
    await shot(page, 'block-from-call-card');
    await page.getByTestId('block-confirm').click();
    await expect
      .poll(async () => {
        const list = await admin.get<{
          items: { e164: string; reason: string; createdByName: string | null }[];
        }>(`/api/telephony/blacklist?q=${encodeURIComponent(caller)}`);
        return list.items.map((i) => `${i.e164} ${i.reason}`);
      })
      .toEqual([`${caller} Robocall`]);
    // The PBX's next call from that number is refused before it rings anyone.
    expect(await routingOf(caller)).toContain('blacklisted');
  });

  it('blocks a client from the call log; the contact’s page says since when, by whom and why; an admin unblocks it', async () => {
    const number = randomMobile('+3367');
    const created = await admin.request<{ id: string }>('POST', '/api/contacts', {
      firstName: 'Bruno',
      lastName: 'Spamont',
      phones: [{ raw: number }],
    });
    expect(created.status).toBe(201);
    const contactId = created.json.id;
    // One call from the client, so the call log has a row for it; nothing refuses it yet.
    expect(await routingOf(number)).not.toContain('blacklisted');
    const { user } = await admin.get<{ user: { name: string } }>('/api/auth/me');

    const page = (await signedInPage(browser, app.baseUrl, 'admin@example.com', open, { height: 900 })).page;
    await page.goto(`/calls?client=${encodeURIComponent(number)}`);
    const row = page
      .locator('tbody tr')
      .filter({ has: page.getByTestId('block-number') })
      .first();
    await row.getByTestId('block-number').click();
    await page.getByTestId('block-reason').fill('Insults the agents');
    await shot(page, 'block-from-call-log');
    await page.getByTestId('block-confirm').click();
    await page.getByTestId('block-confirm').waitFor({ state: 'detached' });

    await page.goto(`/contacts/${contactId}`);
    const notice = page.getByTestId('contact-blocked');
    await notice.getByText(number).waitFor();
    await notice.getByText('Insults the agents', { exact: false }).waitFor();
    await expect.poll(() => notice.getByTestId('blocked-since').textContent()).toContain(user.name);
    await shot(page, 'contact-blocked-since-by');
    expect(await routingOf(number)).toContain('blacklisted');

    await notice.getByTestId('unblock-number').click();
    await notice.waitFor({ state: 'detached' });
    // Unblocked: the contact page offers "Block" again, and the client's calls ring.
    await page.getByTestId('block-number').first().waitFor();
    expect(await routingOf(number)).not.toContain('blacklisted');
  });

  it('counts a refused call under "blacklisted" in the statistics, and opens it in the log with that word', async () => {
    const number = randomMobile('+3367');
    const added = await admin.request('POST', '/api/telephony/blacklist', { number, reason: 'Robocall' });
    expect(added.status).toBe(201);
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: number,
      to: DEMO_NUMBER,
      answer: null,
      outcome: 'cancel',
      ringSeconds: 1,
    });
    const trace = await sim<SimTrace>('GET', `/_sim/calls/${pbxCallId}?wait=30000`);
    expect(trace.routing.map((r) => r.action)).toContain('blacklisted');

    const page = (await signedInPage(browser, app.baseUrl, 'admin@example.com', open, { height: 900 })).page;
    await page.goto('/statistics?period=today');
    const figure = page.locator('[data-testid="stats-missed-reasons"] [data-figure="blacklisted"]');
    await figure.waitFor();
    const row = page.locator('[data-testid="stats-missed-reasons"] tr', {
      has: page.locator('[data-figure="blacklisted"]'),
    });
    expect(await row.innerText()).toContain('Refused: blacklisted');
    const value = async () => Number(((await figure.textContent()) ?? '').replace(/[^\d]/g, ''));
    // Fresh within seconds: the refused call is counted once its end is folded.
    await expect.poll(value, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await shot(page, 'statistics-missed-blacklisted');
    const count = await value();
    await figure.click();
    await page.waitForURL(/\/calls\?.*outcome=blacklisted/);
    const rows = page.locator('[data-testid="call-row"]');
    await rows.first().waitFor();
    const more = page.getByTestId('calls-more');
    while (await more.isVisible()) {
      const before = await rows.count();
      await more.click();
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(before);
    }
    const listed = await rows.evaluateAll((all) =>
      all.map((r) => [r.getAttribute('data-pbx-call-id'), r.getAttribute('data-outcome')] as const),
    );
    // Exactly the calls the figure counts, each one refused, ours among them, in plain words.
    expect(listed).toHaveLength(count);
    expect(listed.every(([, outcome]) => outcome === 'blacklisted')).toBe(true);
    expect(listed.map(([id]) => id)).toContain(pbxCallId);
    expect(await page.locator(`[data-pbx-call-id="${pbxCallId}"]`).innerText()).toContain(
      'Refused: blacklisted',
    );
    await shot(page, 'call-log-blacklisted');
  });
});
