// Issue 13 in a real browser: the agent's call workspace against the demo server's own Zadarma simulator — the
// card comes back after a reload and in a second tab, an outgoing call has a card whose note lands on the
// timeline, a contact created from the card is saved with the mouse and shown on the card, a missed call
// waits in the agent's list, the wrap-up comes back until closed, a caller several contacts share gets a picker,
// and the card's refusals reach a French agent in French.
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

/** English a French screen must never show: zod's sentences and the server's own. */
const ENGLISH_SERVER_TEXT =
  /Too big|Too small|expected string|Invalid input|agents can only|is not a phone number|no \w+ with id|does not have the number/;

async function visibleText(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: what the user sees, not hidden text (Playwright's innerText)
  return page.locator('body').innerText();
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
    // Done: closed for good (a wrap-up left open would come back on every page of the next tests).
    await popup(page, pbxCallId).getByTestId('popup-done').click();
    await popup(page, pbxCallId).waitFor({ state: 'detached' });
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

  it('brings the wrap-up card back after a reload and in a second tab, with its outcome, until the agent closes it', async () => {
    const { context, page } = await agentPage('agent1@example.com');
    const { pbxCallId: first } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: randomMobile(),
      to: DEMO_NUMBER,
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 3,
    });
    await popup(page, first).getByTestId('popup-wrap-up').waitFor({ timeout: 30_000 });
    // A reload after the call: the wrap-up is still there, and the outcome picked is stored.
    await page.reload();
    await popup(page, first).getByTestId('popup-wrap-up').waitFor();
    await popup(page, first).getByText('Joint').click();
    await expect
      .poll(() => popup(page, first).getByTestId('popup-outcome-state').getAttribute('data-state'))
      .toBe('saved');
    // A second tab: the same wrap-up, with the outcome already picked.
    const second = await context.newPage();
    await second.goto('/contacts');
    await popup(second, first).getByTestId('popup-wrap-up').waitFor();
    await expect.poll(() => popup(second, first).locator('input[value="connected"]').isChecked()).toBe(true);
    await shot(second, 'call-popup-wrap-up-restored-1440-fr');

    // Closed: gone from the other tab at once, and it never comes back. A later call's wrap-up comes back on a
    // reload, and only that one.
    await popup(page, first).getByTestId('popup-done').click();
    await popup(page, first).waitFor({ state: 'detached' });
    await popup(second, first).waitFor({ state: 'detached' });
    await second.close();
    const { pbxCallId: later } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: randomMobile(),
      to: DEMO_NUMBER,
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 2,
    });
    await popup(page, later).getByTestId('popup-wrap-up').waitFor({ timeout: 30_000 });
    await page.reload();
    await popup(page, later).getByTestId('popup-wrap-up').waitFor();
    // The server sends a user's restored cards together, oldest first: the closed one would already be here.
    await expect(popup(page, first).count()).resolves.toBe(0);
    await popup(page, later).getByTestId('popup-close').click();
    await popup(page, later).waitFor({ state: 'detached' });
  }, 120_000);

  it('lets the agent pick which of several contacts sharing a number is calling, and the card shows that one', async () => {
    const julien = users.find((u) => u.name === 'Julien Moreau');
    expect(julien).toBeDefined();
    const shared = randomMobile();
    const lastName = `Partage-${shared.slice(-4)}`;
    const ids: string[] = [];
    // Both Julien's, so the routing rings his phone (101) for this known caller.
    for (const firstName of ['Anna', 'Boris']) {
      const created = await admin.request<{ id: string }>('POST', '/api/contacts', {
        firstName,
        lastName,
        responsibleUserId: julien?.id,
        phones: [{ raw: shared, label: 'mobile' }],
      });
      expect(created.status).toBe(201);
      ids.push(created.json.id);
    }
    const { page } = await agentPage('agent1@example.com');
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: shared,
      to: DEMO_NUMBER,
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 20,
    });
    const card = popup(page, pbxCallId);
    await card.getByTestId('popup-in-call').waitFor({ timeout: 20_000 });
    await expect(card.getByTestId('popup-contact-name').textContent()).resolves.toBe(`Anna ${lastName}`);
    const picker = card.getByTestId('popup-contact-picker');
    await expect(picker.textContent()).resolves.toContain('2 contacts ont ce numéro');
    await card.getByTestId('popup-contact-select').click();
    await card.getByRole('option', { name: `Boris ${lastName}` }).click();
    await expect.poll(() => card.getByTestId('popup-contact-name').textContent()).toBe(`Boris ${lastName}`);
    await shot(page, 'call-popup-shared-number-1440-fr');
    const calls = await admin.get<{ items: { pbxCallId: string }[] }>(`/api/calls?contactId=${ids[1]}`);
    expect(calls.items.map((c) => c.pbxCallId)).toContain(pbxCallId);
    const ofAnna = await admin.get<{ items: { pbxCallId: string }[] }>(`/api/calls?contactId=${ids[0]}`);
    expect(ofAnna.items.map((c) => c.pbxCallId)).not.toContain(pbxCallId);
  }, 90_000);

  it('tells a French agent why the card’s actions are refused, in French, never in the server’s English', async () => {
    const foreignName = `Étrangère-${Date.now() % 100_000}`;
    const foreign = await admin.request<{ id: string }>('POST', '/api/contacts', {
      firstName: 'Fiche',
      lastName: foreignName,
      responsibleUserId: (
        await admin.get<{ items: { id: string; email: string }[] }>('/api/users')
      ).items.find((u) => u.email === 'agent2@example.com')?.id,
    });
    expect(foreign.status).toBe(201);
    const { page } = await agentPage('agent1@example.com');
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: randomMobile(),
      to: DEMO_NUMBER,
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 12,
    });
    const card = popup(page, pbxCallId);
    await card.getByTestId('popup-in-call').waitFor({ timeout: 20_000 });

    // A name longer than the server takes: said under the field, in French.
    await card.getByTestId('popup-create-contact').click();
    const dialog = page.getByRole('dialog');
    await page.getByTestId('create-from-call-last-name').fill('x'.repeat(120));
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(async () => visibleText(page)).toContain('100 caractères au maximum');
    expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The number added to another agent's contact: refused, and the agent reads why in French.
    await card.getByRole('button', { name: 'Ajouter à un contact' }).click();
    const pick = page.getByRole('dialog');
    await pick.locator('input').first().fill(foreignName);
    await page.getByRole('option', { name: `Fiche ${foreignName}` }).click();
    await pick.getByRole('button', { name: 'Ajouter le numéro' }).click();
    await expect.poll(async () => visibleText(page)).toContain('Vous n’avez pas le droit');
    expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);
    await shot(page, 'call-popup-refusal-1440-fr');
    await pick.getByRole('button', { name: 'Annuler' }).click();

    // After the call, a follow-up whose title is too long: refused in French too.
    await card.getByTestId('popup-wrap-up').waitFor({ timeout: 30_000 });
    await card.getByTestId('popup-follow-up').click();
    await card.getByTestId('popup-follow-up-title').fill('y'.repeat(250));
    // Its due time, tomorrow 10:00 by default, written as a French user writes it (not the browser's way).
    expect(await card.getByTestId('popup-follow-up-due').textContent()).toMatch(
      /^\d{2}\/\d{2}\/\d{4} 10:00$/,
    );
    await shot(page, 'call-popup-follow-up-1440-fr');
    await card.getByTestId('popup-follow-up-save').click();
    await expect.poll(async () => visibleText(page)).toContain('200 caractères au maximum');
    expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);
    await card.getByTestId('popup-done').click();
  }, 90_000);

  it('keeps a missed call listed for every agent it rang until a callback is really answered', async () => {
    const { page } = await agentPage('agent1@example.com');
    await page.goto('/missed-calls');
    const caller = randomMobile();
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: caller,
      to: DEMO_NUMBER,
      answer: null,
      outcome: 'cancel',
      ringSeconds: 3,
    });
    const missedOf = async (session: ApiSession) =>
      (await session.get<{ items: { id: string; pbxCallId: string }[] }>('/api/calls/missed')).items;
    await expect
      .poll(async () => (await missedOf(admin)).some((c) => c.pbxCallId === pbxCallId), { timeout: 20_000 })
      .toBe(true);
    const callId = (await missedOf(admin)).find((c) => c.pbxCallId === pbxCallId)?.id as string;
    // The demo number rings 100–102: the admin's phone rang too, so the call is on both lists.
    const row = page.locator(`[data-testid="missed-row"][data-call-id="${callId}"]`);
    await row.waitFor({ timeout: 20_000 });

    const outboundTo = async (status: string) =>
      (
        await admin.get<{ items: { clientE164: string | null; status: string }[] }>(
          '/api/calls?direction=out&pageSize=50',
        )
      ).items.filter((c) => c.clientE164 === caller && c.status === status).length;
    // A callback the client does not answer: the call stays to return.
    await sim('PUT', '/_sim/callback-plan', { outcome: 'no answer', ringSeconds: 1 });
    await row.getByTestId('call-button').click();
    await expect.poll(() => outboundTo('no_answer'), { timeout: 30_000 }).toBe(1);
    await page.reload();
    await row.waitFor();
    expect((await missedOf(admin)).some((c) => c.id === callId)).toBe(true);
    await shot(page, 'missed-calls-unanswered-callback-1440-fr');

    // Answered this time: off both lists.
    await sim('PUT', '/_sim/callback-plan', { outcome: 'answered', ringSeconds: 1, talkSeconds: 2 });
    await row.getByTestId('call-button').click();
    await expect.poll(() => outboundTo('answered'), { timeout: 30_000 }).toBe(1);
    await row.waitFor({ state: 'detached', timeout: 20_000 });
    expect((await missedOf(admin)).some((c) => c.id === callId)).toBe(false);
    // The agent's own wrap-up cards of both callbacks: closed, so they do not follow into the next tests.
    const done = page.getByTestId('popup-done');
    for (let left = await done.count(); left > 0; left -= 1) {
      await done.first().click();
      await expect.poll(() => done.count()).toBe(left - 1);
    }
  }, 120_000);
});
