// Issue 13 in a real browser: the agent's call workspace against the demo server's own Zadarma simulator — the
// card comes back after a reload and in a second tab, an outgoing call has a card whose note lands on the
// timeline, a contact created from the card is saved with the mouse and shown on the card, and a missed call
// waits in the agent's list.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  apiSession,
  DEMO_NUMBER,
  type RunningApp,
  randomMobile,
  type Simulator,
  shot,
  signedInPage,
  startDemoRig,
  stopDemoRig,
} from './harness.js';

interface DirectoryUser {
  id: string;
  name: string;
}

let app: RunningApp;
let browser: Browser;
let admin: ApiSession;
let sim: Simulator;
let users: DirectoryUser[];
const open: BrowserContext[] = [];

async function agentPage(
  email: string,
  viewport: { width: number; height: number } = { width: 1440, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await signedInPage(browser, app.baseUrl, email, open, viewport);
  await liveOpen(page);
  return { context, page };
}

/** The live stream is open: a call placed now reaches this page as it happens. */
async function liveOpen(page: Page): Promise<void> {
  await page.locator('[data-testid="call-slot"][data-live="open"]').waitFor();
}

const popup = (page: Page, pbxCallId: string) =>
  page.locator(`[data-testid="call-popup"][data-pbx-call-id="${pbxCallId}"]`);

beforeAll(async () => {
  ({ app, browser, admin, sim } = await startDemoRig());
  users = await admin.get<DirectoryUser[]>('/api/users/directory');
});

afterAll(async () => {
  await stopDemoRig({ app, browser }, open);
});

describe('browser: the agent’s call workspace', () => {
  it('brings the card back after a reload and in a second tab, in the agent’s language, on a desktop and a phone', async () => {
    const julien = await apiSession(app.baseUrl, 'agent1@example.com');
    const { context, page } = await agentPage('agent1@example.com');
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: randomMobile(),
      to: DEMO_NUMBER,
      answer: '101',
      ringSeconds: 1,
      // Long enough for six reloads and a second tab on a loaded machine; the test then waits for the end.
      talkSeconds: 60,
    });
    await popup(page, pbxCallId).getByTestId('popup-in-call').waitFor();
    await popup(page, pbxCallId).getByTestId('popup-note').fill('Rappeler pour le devis');
    await expect
      .poll(() => popup(page, pbxCallId).getByTestId('popup-note-state').getAttribute('data-state'))
      .toBe('saved');
    await shot(page, 'call-popup-1440-fr');

    // A reload: the card comes back in the call, with the note already written.
    await page.reload();
    await popup(page, pbxCallId).getByTestId('popup-in-call').waitFor();
    await expect
      .poll(() => popup(page, pbxCallId).getByTestId('popup-note').inputValue())
      .toBe('Rappeler pour le devis');

    // A second tab: the same card.
    const second = await context.newPage();
    await second.goto('/contacts');
    await popup(second, pbxCallId).getByTestId('popup-in-call').waitFor();
    await second.close();

    // The calls page's "in progress" row opens the card by hand: the admin (whose phone rang too) sees who has it.
    const { page: emma } = await agentPage('admin@example.com');
    await emma.goto('/calls?status=in_progress');
    await emma
      .locator(`[data-testid="call-row"][data-pbx-call-id="${pbxCallId}"]`)
      .getByTestId('call-open-card')
      .click();
    await expect(popup(emma, pbxCallId).getByTestId('popup-answered-by').textContent()).resolves.toContain(
      'Julien Moreau',
    );

    // The card can be minimised to its header line, and expanded again.
    await popup(page, pbxCallId).getByTestId('popup-minimise').click();
    await expect(popup(page, pbxCallId).getByTestId('popup-note').isVisible()).resolves.toBe(false);
    await popup(page, pbxCallId).getByTestId('popup-expand').click();
    await popup(page, pbxCallId).getByTestId('popup-note').waitFor();

    // In English, then on a phone's width in both languages (each a reload: the card comes back every time).
    expect((await julien.request('PATCH', '/api/auth/me', { locale: 'en' })).status).toBe(200);
    await page.reload();
    await popup(page, pbxCallId).getByTestId('popup-in-call').waitFor();
    await expect(page.getByTestId('call-popups').textContent()).resolves.toContain('In call');
    await expect
      .poll(() => popup(page, pbxCallId).getByTestId('popup-note').inputValue())
      .toBe('Rappeler pour le devis');
    await shot(page, 'call-popup-1440-en');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await popup(page, pbxCallId).getByTestId('popup-in-call').waitFor();
    await expect
      .poll(() => popup(page, pbxCallId).getByTestId('popup-note').inputValue())
      .toBe('Rappeler pour le devis');
    await shot(page, 'call-popup-375-en');
    expect((await julien.request('PATCH', '/api/auth/me', { locale: 'fr' })).status).toBe(200);
    await page.reload();
    await popup(page, pbxCallId).getByTestId('popup-in-call').waitFor();
    await expect(page.getByTestId('call-popups').textContent()).resolves.toContain('En ligne');
    await expect
      .poll(() => popup(page, pbxCallId).getByTestId('popup-note').inputValue())
      .toBe('Rappeler pour le devis');
    await shot(page, 'call-popup-375-fr');

    // The call ends: the card stays with the outcome picker until the agent closes it.
    await popup(page, pbxCallId).getByTestId('popup-wrap-up').waitFor({ timeout: 90_000 });
    await shot(page, 'call-popup-wrap-up-375-fr');
  }, 180_000);

  it('gives an outgoing call the same card, and its note lands on the contact’s timeline with the outcome and a follow-up', async () => {
    const thomas = users.find((u) => u.name === 'Thomas Bennett');
    expect(thomas).toBeDefined();
    const phone = randomMobile();
    const created = await admin.request<{ id: string }>('POST', '/api/contacts', {
      firstName: 'Oscar',
      lastName: `Outgoing-${phone.slice(-4)}`,
      responsibleUserId: thomas?.id,
      phones: [{ raw: phone, label: 'mobile' }],
    });
    expect(created.status).toBe(201);
    await sim('PUT', '/_sim/callback-plan', { outcome: 'answered', ringSeconds: 1, talkSeconds: 6 });
    const { page } = await agentPage('agent3@example.com');
    await page.goto(`/contacts/${created.json.id}`);
    await page.getByTestId('contact-phones').getByTestId('call-button').click();

    const card = page
      .locator('[data-testid="call-popup"]')
      .filter({ hasText: `Outgoing-${phone.slice(-4)}` });
    await card.getByTestId('popup-contact-name').waitFor();
    await card.getByTestId('popup-in-call').waitFor();
    await card.getByTestId('popup-note').fill('Sent the quote by email');
    await shot(page, 'call-popup-outgoing-1440-en');
    await card.getByTestId('popup-wrap-up').waitFor({ timeout: 20_000 });
    await expect.poll(() => card.getByTestId('popup-note-state').getAttribute('data-state')).toBe('saved');
    await card.getByText('Left a message').click();
    await expect.poll(() => card.getByTestId('popup-outcome-state').getAttribute('data-state')).toBe('saved');
    await card.getByTestId('popup-follow-up').click();
    await card.getByTestId('popup-follow-up-save').click();
    await card.getByTestId('popup-follow-up-done').waitFor();
    await shot(page, 'call-popup-after-call-1440-en');
    const callId = (await card.getAttribute('data-call-id')) as string;
    await card.getByTestId('popup-done').click();
    await card.waitFor({ state: 'detached' });

    const tasks = await admin.get<{ items: { title: string; subjectId: string | null }[] }>(
      `/api/tasks?subjectType=contact&subjectId=${created.json.id}`,
    );
    expect(tasks.items.map((task) => task.title)).toContain(`Call back Oscar Outgoing-${phone.slice(-4)}`);
    await page.reload();
    const item = page.getByTestId('timeline').locator('[data-kind="call"]').first();
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('Sent the quote by email');
    const call = await admin.get<{ direction: string; note: string }>(`/api/calls/${callId}`);
    expect(call).toMatchObject({ direction: 'out', note: 'Sent the quote by email' });
  });

  it('saves a contact created from an unknown caller’s card with the mouse, and the card shows it', async () => {
    // A phone's width, where the card covers most of the page: the form must still be usable.
    const { page } = await agentPage('agent2@example.com', { width: 375, height: 812 });
    const caller = randomMobile();
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: caller,
      to: DEMO_NUMBER,
      answer: '102',
      ringSeconds: 1,
      talkSeconds: 20,
    });
    await popup(page, pbxCallId).getByTestId('popup-in-call').waitFor();
    await popup(page, pbxCallId).getByTestId('popup-create-contact').click();
    await page.getByTestId('create-from-call-first-name').fill('Nadia');
    await page.getByTestId('create-from-call-last-name').fill(`Nouvelle-${caller.slice(-4)}`);
    await shot(page, 'call-popup-create-contact-375-ru');
    // A real click: Playwright refuses to click a button another element covers.
    await page.getByRole('dialog').getByRole('button', { name: 'Сохранить' }).click();
    const name = popup(page, pbxCallId).getByTestId('popup-contact-name');
    await name.waitFor();
    await expect(name.textContent()).resolves.toBe(`Nadia Nouvelle-${caller.slice(-4)}`);
    const contacts = await admin.get<{ items: { id: string; phones: { e164: string | null }[] }[] }>(
      `/api/contacts?q=${encodeURIComponent(`Nouvelle-${caller.slice(-4)}`)}`,
    );
    expect(contacts.items[0]?.phones.map((p) => p.e164)).toEqual([caller]);
    const calls = await admin.get<{ items: { pbxCallId: string }[] }>(
      `/api/calls?contactId=${contacts.items[0]?.id}`,
    );
    expect(calls.items.map((c) => c.pbxCallId)).toContain(pbxCallId);
  });

  it('tells the agent whose phone rang about a missed call and keeps it in their list until dismissed', async () => {
    const { page } = await agentPage('agent1@example.com');
    const caller = randomMobile();
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: caller,
      to: DEMO_NUMBER,
      // The caller hangs up after 3 s of ringing: a missed call.
      answer: null,
      outcome: 'cancel',
      ringSeconds: 3,
    });
    // The notification, in the agent's language (Julien reads French).
    const notification = page.getByText(`Appel manqué : ${caller}`).first();
    await notification.waitFor({ timeout: 20_000 });
    await shot(page, 'missed-call-notification-1440-fr');
    await notification.click();
    await page.waitForURL('**/missed-calls');
    const calls = await admin.get<{ items: { id: string; pbxCallId: string }[] }>('/api/calls?status=missed');
    const callId = calls.items.find((c) => c.pbxCallId === pbxCallId)?.id as string;
    const row = page.locator(`[data-testid="missed-row"][data-call-id="${callId}"]`);
    await row.waitFor();
    // Numbers are shown grouped (+33 6 12 34 56 78): compare the digits.
    await expect(row.textContent().then((text) => text?.replace(/\s/g, ''))).resolves.toContain(caller);
    await shot(page, 'missed-calls-1440-fr');
    await row.getByTestId('missed-dismiss').click();
    await row.waitFor({ state: 'detached' });
  });
});
