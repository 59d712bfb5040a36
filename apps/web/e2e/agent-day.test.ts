// The CRM around the phone, as an agent meets it: demo accounts on the sign-in page, a duplicate number
// caught while typing, and server messages in the agent's language (agent1 works in French).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  apiSession,
  launchBrowser,
  newPage,
  type RunningApp,
  shot,
  signIn,
  startApp,
} from './harness.js';

let app: RunningApp;
let browser: Browser;
let admin: ApiSession;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  admin = await apiSession(app.baseUrl, 'admin@example.com');
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** English a French screen must never show: zod's sentences and the server's own. */
const ENGLISH_SERVER_TEXT =
  /Too big|Too small|expected string|Invalid input|agents can only|is not a phone number|no \w+ with id/;

async function visibleText(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: what the user sees, not hidden text (Playwright's innerText)
  return page.locator('body').innerText();
}

describe('browser: an agent’s day around the phone', () => {
  it('lists the demo accounts on the sign-in page, and one click fills the form', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await page.goto('/');
      const accounts = page.getByTestId('demo-accounts');
      await accounts.waitFor();
      await expect(accounts.getByRole('button').count()).resolves.toBe(4);
      await accounts.getByRole('button', { name: /agent2@example\.com/ }).click();
      await expect(page.getByLabel(/^email/i).inputValue()).resolves.toBe('agent2@example.com');
      await expect(page.getByLabel(/^password/i).inputValue()).resolves.toBe('demo');
      await shot(page, 'sign-in-demo-accounts');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('user-menu').waitFor();
    } finally {
      await context.close();
    }
  });

  it('warns in French that a number already belongs to a contact, and opens that contact', async () => {
    const existing = await admin.request<{ id: string; displayName: string }>('POST', '/api/contacts', {
      firstName: 'Bérénice',
      lastName: 'Doublon',
      responsibleUserId: null,
      phones: [{ raw: '+33 6 98 12 34 56', label: 'mobile' }],
    });
    expect(existing.status).toBe(201);
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent1@example.com');
      await page.goto('/contacts/new');
      await page.locator('input[name="lastName"]').fill('Nouveau');
      // Another written form of the same number.
      await page.locator('input[name="phones.0.raw"]').fill('06 98 12 34 56');
      const warning = page.getByTestId('duplicate-warning');
      await warning.waitFor();
      await expect(warning.textContent()).resolves.toContain('Bérénice Doublon');
      await expect(warning.textContent()).resolves.toContain('+33 6 98 12 34 56');
      await expect(warning.textContent()).resolves.toContain('Déjà dans vos contacts');
      await shot(page, 'contact-duplicate-warning-fr');
      await warning.getByTestId('duplicate-open').click();
      await page.waitForURL(new RegExp(`/contacts/${existing.json.id}$`));
      await expect(page.getByTestId('contact-name').textContent()).resolves.toBe('Bérénice Doublon');
      // The saved duplicate (made by someone else meanwhile) is offered for merging on the contact's page.
      const twin = await admin.request<{ id: string }>('POST', '/api/contacts', {
        firstName: 'B.',
        lastName: 'Doublon',
        responsibleUserId: null,
        phones: [{ raw: '0698123456', label: 'work' }],
        emails: [{ email: 'berenice@example.com', label: 'work' }],
      });
      expect(twin.status).toBe(201);
      await page.reload();
      const onPage = page.getByTestId('duplicate-warning');
      await onPage.getByText('B. Doublon').waitFor();
      await onPage.getByTestId('duplicate-merge').click();
      await page.getByTestId('contact-name').waitFor();
      await expect.poll(async () => page.getByTestId('duplicate-warning').count()).toBe(0);
      await expect.poll(async () => visibleText(page)).toContain('berenice@example.com');
      await shot(page, 'contact-merged-fr');
    } finally {
      await context.close();
    }
  });

  it('shows a French agent the server’s refusals in French, never in English', async () => {
    // A contact that belongs to another agent: agent1 may read it, not change it.
    const foreign = await admin.request<{ id: string }>('POST', '/api/contacts', {
      firstName: 'Autre',
      lastName: 'Agent',
      responsibleUserId: (
        await admin.get<{ items: { id: string; email: string }[] }>('/api/users')
      ).items.find((u) => u.email === 'agent2@example.com')?.id,
    });
    expect(foreign.status).toBe(201);
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent1@example.com');
      await page.goto('/contacts/new');
      const lastName = page.locator('input[name="lastName"]');
      await lastName.fill('x'.repeat(120));
      const phone = page.locator('input[name="phones.0.raw"]');
      await phone.fill('06 12 34');
      await page.getByTestId('save-contact').click();
      await expect.poll(() => lastName.getAttribute('aria-invalid')).toBe('true');
      await expect.poll(async () => visibleText(page)).toContain('100 caractères au maximum');
      await shot(page, 'contact-form-errors-fr');
      expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);

      await lastName.fill('Court');
      await page.getByTestId('save-contact').click();
      await expect.poll(async () => visibleText(page)).toContain('pas un numéro qui peut être composé');
      expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);

      // Editing someone else's contact: the server refuses, the agent reads why in French.
      await page.goto(`/contacts/${foreign.json.id}/edit`);
      await page.locator('input[name="firstName"]').fill('Modifié');
      await page.getByTestId('save-contact').click();
      await expect.poll(async () => visibleText(page)).toContain('Vous n’avez pas le droit');
      expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);
      await shot(page, 'contact-forbidden-fr');
    } finally {
      await context.close();
    }
  });

  it('shows the agent the missed calls to return on the dashboard, in French, with a call-back button', async () => {
    const agent = await apiSession(app.baseUrl, 'agent1@example.com');
    // An unknown caller rings agent1's extension (101) and nobody answers.
    const rung = await agent.request<{ pbxCallId: string }>('POST', '/api/demo/calls/inbound', {
      from: '+33677889900',
      answer: '101',
      outcome: 'no answer',
    });
    expect(rung.status).toBe(200);
    const { context, page } = await newPage(browser, app.baseUrl, { width: 1440, height: 900 });
    try {
      await signIn(page, 'agent1@example.com');
      await page.goto('/');
      const row = page.getByTestId('missed-call-row').filter({ hasText: '+33 6 77 88 99 00' });
      await expect
        .poll(
          async () => {
            await page.reload();
            await page.getByTestId('missed-to-return').waitFor();
            return row.count();
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe(1);
      const card = (await page.getByTestId('missed-to-return').textContent()) ?? '';
      expect(card).toContain('Appels manqués à rappeler');
      expect(card).toContain('Numéro inconnu');
      // The call button waits for /api/telephony/me, which may answer after the list: poll, don't race it.
      await expect.poll(async () => row.getByTestId('call-button').count(), { timeout: 10_000 }).toBe(1);
      expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);
      // "My calls today" adds up: answered, missed and any other calls make the total the card shows.
      const total = Number(((await page.getByTestId('stat-calls').textContent()) ?? '').replace(/\D/g, ''));
      const parts = ((await page.getByTestId('stat-hint-calls').textContent()) ?? '').match(/\d+/g) ?? [];
      expect(parts.reduce((sum, n) => sum + Number(n), 0)).toBe(total);
      await shot(page, 'dashboard-1440-fr');
      await page.setViewportSize({ width: 375, height: 812 });
      await shot(page, 'dashboard-375-fr');
    } finally {
      await context.close();
    }
  });

  it('converts a lead into a contact and a deal, and the contact page lists the deal and the lead', async () => {
    const agent = await apiSession(app.baseUrl, 'agent1@example.com');
    const lead = await agent.request<{ id: string }>('POST', '/api/leads', {
      title: 'Appel du standard',
      source: 'call',
    });
    expect(lead.status).toBe(201);
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent1@example.com');
      await page.goto(`/leads/${lead.json.id}`);
      await page.getByTestId('convert-lead').click();
      await page.getByLabel('Nom', { exact: true }).fill('Lefort');
      await page.getByLabel('Téléphone', { exact: true }).fill('06 55 44 33 22');
      await page.getByTestId('convert-lead-submit').click();
      await page.waitForURL(/\/contacts\/[^/]+$/);
      await expect(page.getByTestId('contact-name').textContent()).resolves.toBe('Lefort');
      const related = page.getByTestId('contact-related');
      await related.getByText('Appel du standard').first().waitFor();
      await expect.poll(async () => (await related.textContent()) ?? '').toContain('Converti');
      await shot(page, 'lead-converted-fr');
    } finally {
      await context.close();
    }
  });

  it('lets an admin add and rename pipeline stages, and the board shows them with each deal’s owner', async () => {
    const { context, page } = await newPage(browser, app.baseUrl, { width: 1440, height: 900 });
    try {
      await signIn(page, 'admin@example.com');
      await page.goto('/deals');
      await page.getByTestId('pipeline-board').waitFor();
      await page.getByTestId('edit-stages').click();
      await page.getByTestId('stage-add').click();
      await page.getByTestId('stage-row').last().getByRole('textbox').fill('Pilot phase');
      await page.getByTestId('stage-row').first().getByRole('textbox').fill('First contact');
      await page.getByTestId('stages-save').click();
      const board = page.getByTestId('pipeline-board');
      await board.getByText('Pilot phase').waitFor();
      await board.getByText('First contact').waitFor();
      await expect.poll(() => board.getByTestId('deal-owner').count()).toBeGreaterThan(0);
      await shot(page, 'deals-board-stages');
    } finally {
      await context.close();
    }
  });

  // One test per language and width: four page tours in one test outran the test timeout on a busy machine.
  it.each([
    ['agent1@example.com', 'fr', 1440],
    ['agent1@example.com', 'fr', 375],
    ['agent3@example.com', 'en', 1440],
    ['agent3@example.com', 'en', 375],
  ] as const)(
    'shows the dashboard, a contact page and the calls list (%s, %s, %i px wide)',
    async (email, lang, width) => {
      const contacts = await admin.get<{ items: { id: string; phones: unknown[] }[] }>(
        '/api/contacts?pageSize=20',
      );
      const contact = contacts.items.find((c) => c.phones.length > 0) ?? contacts.items[0];
      {
        const { context, page } = await newPage(browser, app.baseUrl, {
          width,
          height: width > 500 ? 900 : 812,
        });
        try {
          // A contact of the agent's with calls (the demo history), so the record page shows its related records.
          const agent = await apiSession(app.baseUrl, email);
          const calls = await agent.get<{ items: { contact: { id: string } | null }[] }>(
            '/api/calls?status=answered&pageSize=50',
          );
          const withCalls = calls.items.find((c) => c.contact)?.contact?.id ?? contact?.id;
          await signIn(page, email);
          await page.getByTestId('missed-to-return').waitFor();
          // Loaded, not only laid out: the cards' lists say aria-busy while their data is on its way.
          await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);
          await page.waitForLoadState('networkidle');
          await shot(page, `dashboard-${lang}-${width}`);
          await page.goto(`/contacts/${withCalls}`);
          await page.getByTestId('contact-name').waitFor();
          await page.getByTestId('record-call').first().waitFor();
          await page.waitForLoadState('networkidle');
          await shot(page, `contact-${lang}-${width}`);
          await page.goto('/calls');
          await page.waitForLoadState('networkidle');
          await shot(page, `calls-${lang}-${width}`);
          await page.goto('/contacts');
          // A list row's name is a real link: it can be opened in a new tab.
          const first = page.getByTestId('row-link').first();
          await first.waitFor();
          expect(await first.getAttribute('href')).toMatch(/^\/contacts\/[^/]+$/);
          expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);
        } finally {
          await context.close();
        }
      }
    },
  );
});
