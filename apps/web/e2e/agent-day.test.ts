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
      await expect(warning.innerText()).resolves.toContain('Bérénice Doublon');
      await expect(warning.innerText()).resolves.toContain('+33 6 98 12 34 56');
      await expect(warning.innerText()).resolves.toContain('Déjà dans vos contacts');
      await shot(page, 'contact-duplicate-warning-fr');
      await warning.getByTestId('duplicate-open').click();
      await page.waitForURL(new RegExp(`/contacts/${existing.json.id}$`));
      await expect(page.getByTestId('contact-name').textContent()).resolves.toBe('Bérénice Doublon');
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
      const card = await page.getByTestId('missed-to-return').innerText();
      expect(card).toContain('Appels manqués à rappeler');
      expect(card).toContain('Numéro inconnu');
      await expect(row.getByTestId('call-button').count()).resolves.toBe(1);
      expect(await visibleText(page)).not.toMatch(ENGLISH_SERVER_TEXT);
      await shot(page, 'dashboard-1440-fr');
      await page.setViewportSize({ width: 375, height: 812 });
      await shot(page, 'dashboard-375-fr');
    } finally {
      await context.close();
    }
  });
});
