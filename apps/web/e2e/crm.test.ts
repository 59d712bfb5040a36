import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, launchBrowser, newPage, type RunningApp, shot, signIn, startApp } from './harness.js';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

// A number no demo contact has: +33 6 then eight random digits, written three different ways below.
// Leading 1: +33 61… is always a valid French mobile range (63x and 69x are not all assigned).
const digits = `1${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
const pairs = digits.match(/../g)?.join(' ') ?? digits;
const international = `+33 6 ${pairs}`; // what the user types when creating
const national = `06${digits}`; // what the user types in the global search
const zeroZero = `0033 6${digits}`; // what the user types in the list search
const lastName = `Dupont-${digits.slice(0, 4)}`;

describe('browser: contacts and access', () => {
  it('signs in, creates a contact with a formatted phone number and shows it on its page', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await page.goto('/');
      await shot(page, 'sign-in');
      await signIn(page, 'admin@example.com');
      await expect(page.getByTestId('nav-admin-users').isVisible()).resolves.toBe(true);
      await shot(page, 'dashboard');

      await page.getByTestId('nav-contacts').click();
      await page.getByTestId('contacts-table').waitFor();
      await shot(page, 'contacts-list');
      await page.getByTestId('new-contact').click();
      await page.getByLabel('First name').fill('Amélie');
      await page.getByLabel('Last name').fill(lastName);
      await page.locator('input[name="phones.0.raw"]').fill(international);
      await page.locator('input[name="emails.0.email"]').fill(`amelie.${digits}@example.com`);
      await shot(page, 'contact-form');
      await page.getByTestId('save-contact').click();

      await page.waitForURL(/\/contacts\/[^/]+$/);
      await expect(page.getByTestId('contact-name').textContent()).resolves.toBe(`Amélie ${lastName}`);
      await expect(page.getByTestId('contact-phones').textContent()).resolves.toContain(international);
      const href = await page.getByTestId('contact-phones').locator('a').first().getAttribute('href');
      expect(href).toBe(`tel:+336${digits}`);
      await page.getByTestId('note-body').fill('Called back, wants a quote.');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.getByTestId('timeline').getByText('Called back, wants a quote.').first().waitFor();
      await shot(page, 'contact-page');
    } finally {
      await context.close();
    }
  });

  it('finds the contact by a differently formatted number, in the global search and in the list', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent1@example.com');
      await page.keyboard.press('Control+k');
      await page.getByTestId('global-search-input').fill(national);
      const result = page.getByTestId('search-result').filter({ hasText: lastName });
      await result.waitFor().catch(async (error: unknown) => {
        await shot(page, 'global-search-failed');
        throw error;
      });
      await shot(page, 'global-search');
      await result.click();
      await page.waitForURL(/\/contacts\/[^/]+$/);
      await expect(page.getByTestId('contact-name').textContent()).resolves.toBe(`Amélie ${lastName}`);

      await page.goto('/contacts');
      await page.getByTestId('list-search').fill(zeroZero);
      // The search goes to the URL (shareable), then the list shows only the one contact with that number.
      await page.waitForURL((url) => url.searchParams.get('q') === zeroZero);
      const rows = page.getByTestId('contacts-table').locator('tbody tr');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
      await expect(rows.first().textContent()).resolves.toContain(lastName);

      const lookup = await page.evaluate(async (phone) => {
        const response = await fetch(`/api/contacts/lookup?phone=${encodeURIComponent(phone)}`);
        return (await response.json()) as { contact: { lastName: string } | null };
      }, `336${digits}`);
      expect(lookup.contact?.lastName).toBe(lastName);
    } finally {
      await context.close();
    }
  });

  it('shows the server’s validation message under the field that caused it', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'admin@example.com');
      await page.goto('/contacts/new');
      await page.getByLabel('Last name').fill('Toolong');
      // The server accepts at most 40 characters for a phone number; the form itself does not check length.
      const phone = page.locator('input[name="phones.0.raw"]');
      await phone.fill('+33 6 12 34 56 78 extension 1234 via reception desk');
      await page.getByTestId('save-contact').click();
      await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
      const message = await page
        .locator(`[id="${describedBy.split(' ').find((id) => id.includes('error'))}"]`)
        .textContent();
      expect(message).toMatch(/40/);
      expect(page.url()).toMatch(/\/contacts\/new$/);
      await shot(page, 'contact-form-server-error');
    } finally {
      await context.close();
    }
  });

  it('imports contacts from a CSV file with a preview and a report of rejected rows', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-csv-'));
    try {
      // 07 5… is a valid French mobile range (07 10… is not).
      const mobile = `5${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
      const file = join(dir, 'contacts.csv');
      writeFileSync(
        file,
        `Prénom;Nom;Téléphone;E-mail\nZoé;Import-${mobile};07 ${mobile};zoe.${mobile}@example.com\nNobody;Wrong;;not-an-email\n`,
      );
      await signIn(page, 'admin@example.com');
      await page.goto('/contacts');
      await page.getByRole('button', { name: 'Import CSV' }).click();
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByTestId('import-file').click(),
      ]);
      await chooser.setFiles(file);
      await page.getByTestId('import-preview').getByText(`Import-${mobile}`).waitFor();
      await shot(page, 'import-preview');
      await page.getByTestId('import-run').click();
      const result = page.getByTestId('import-result');
      await result.waitFor();
      await expect(result.textContent()).resolves.toMatch(/1 contact imported, 1 row rejected/);
      await expect(result.locator('tbody tr').first().textContent()).resolves.toMatch(/^3/);
      await shot(page, 'import-result');
      await page.getByRole('button', { name: 'Close' }).click();

      await page.getByTestId('list-search').fill(`+337${mobile}`);
      const rows = page.getByTestId('contacts-table').locator('tbody tr');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
      await expect(rows.first().textContent()).resolves.toContain(`Zoé Import-${mobile}`);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps admin pages from an agent: no admin navigation and a clear no-access page', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent2@example.com');
      await expect(page.getByTestId('nav-contacts').isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('nav-admin-users').count()).resolves.toBe(0);
      await expect(page.getByTestId('nav-admin-settings').count()).resolves.toBe(0);
      for (const path of ['/admin/users', '/admin/settings']) {
        await page.goto(path);
        await page.getByTestId('no-access').waitFor();
      }
      await shot(page, 'agent-no-access');
      const status = await page.evaluate(async () => (await fetch('/api/users')).status);
      expect(status).toBe(403);
    } finally {
      await context.close();
    }
  });

  it('switches the language for the user and keeps it after a reload', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent3@example.com');
      await page.getByTestId('language-menu').click();
      await page.getByTestId('language-fr').click();
      await page.getByTestId('nav-companies').getByText('Sociétés').waitFor();
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await page.getByTestId('nav-companies').getByText('Sociétés').waitFor();
      await page.getByTestId('language-menu').click();
      await page.getByTestId('language-ru').click();
      await page.getByTestId('nav-companies').getByText('Компании').waitFor();
      await shot(page, 'dashboard-ru');
    } finally {
      await context.close();
    }
  });

  it('is usable at a phone width: the navigation folds behind a burger', async () => {
    const { context, page } = await newPage(browser, app.baseUrl, { width: 375, height: 740 });
    try {
      await signIn(page, 'admin@example.com');
      await page.goto('/contacts');
      await page.getByTestId('contacts-table').waitFor();
      const navRight = () =>
        page.getByTestId('nav-contacts').evaluate((element) => element.getBoundingClientRect().right);
      await expect(navRight()).resolves.toBeLessThanOrEqual(0);
      await shot(page, 'mobile-contacts');
      await page.getByRole('button', { name: 'Menu' }).click();
      await expect.poll(navRight).toBeGreaterThan(0);
      await page.getByTestId('nav-deals').click();
      await page.waitForURL(/\/deals/);
      await shot(page, 'mobile-deals');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });

  it('edits a contact and a deal in place, and shows the server’s refusal under the field, in French', async () => {
    const admin = await apiSession(app.baseUrl, 'admin@example.com');
    const users = await admin.get<{ items: { id: string; email: string }[] }>('/api/users');
    const julien = users.items.find((u) => u.email === 'agent1@example.com')?.id;
    const sofia = users.items.find((u) => u.email === 'agent2@example.com')?.id;
    const suffix = digits.slice(-4);
    const mine = await admin.request<{ id: string }>('POST', '/api/contacts', {
      firstName: 'Inès',
      lastName: `Enplace-${suffix}`,
      responsibleUserId: julien,
      phones: [{ raw: `+33 7 ${pairs}`, label: 'mobile' }],
    });
    expect(mine.status).toBe(201);
    const theirs = await admin.request<{ id: string }>('POST', '/api/contacts', {
      firstName: 'Autre',
      lastName: `Agent-${suffix}`,
      responsibleUserId: sofia,
    });
    expect(theirs.status).toBe(201);
    const pipelines =
      await admin.get<{ id: string; stages: { id: string; name: string }[] }[]>('/api/pipelines');
    const [pipeline] = pipelines;
    const deal = await admin.request<{ id: string }>('POST', '/api/deals', {
      title: `Affaire-${suffix}`,
      amount: 1200,
      currency: 'EUR',
      pipelineId: pipeline?.id,
      stageId: pipeline?.stages[0]?.id,
      contactId: mine.json.id,
      responsibleUserId: julien,
    });
    expect(deal.status, JSON.stringify(deal.json)).toBe(201);

    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent1@example.com');
      await page.goto(`/contacts/${mine.json.id}`);
      // The last name, changed where it is shown: saved alone, and the page shows it at once.
      await page.getByTestId('inline-last-name-edit').click();
      await page.getByTestId('inline-last-name-input').fill(`Renommée-${suffix}`);
      await page.getByTestId('inline-last-name-input').press('Enter');
      await expect.poll(() => page.getByTestId('contact-name').textContent()).toBe(`Inès Renommée-${suffix}`);
      const stored = await admin.get<{ lastName: string; phones: { raw: string }[] }>(
        `/api/contacts/${mine.json.id}`,
      );
      expect(stored.lastName).toBe(`Renommée-${suffix}`);

      // A number that cannot be dialled: refused, said under the field in French, nothing stored.
      await page.getByTestId('inline-phone-edit').click();
      const phone = page.getByTestId('inline-phone-input');
      await phone.fill('06 12 34');
      await page.getByTestId('inline-phone-save').click();
      await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
      await expect
        .poll(() => page.getByTestId('inline-phone').textContent())
        .toContain('pas un numéro qui peut être composé');
      await shot(page, 'contact-inline-edit-refused-1440-fr');
      await phone.press('Escape');
      await expect(page.getByTestId('contact-phones').textContent()).resolves.toContain(`+33 7 ${pairs}`);
      const unchanged = await admin.get<{ phones: { raw: string }[] }>(`/api/contacts/${mine.json.id}`);
      expect(unchanged.phones.map((p) => p.raw)).toEqual([`+33 7 ${pairs}`]);
      // The contact's calls and deals are on its page.
      await page.getByTestId('record-calls').waitFor();
      await expect(page.getByTestId('contact-related').textContent()).resolves.toContain(`Affaire-${suffix}`);

      // Another agent's contact: the server refuses, and says why in French, in place.
      await page.goto(`/contacts/${theirs.json.id}`);
      await page.getByTestId('inline-first-name-edit').click();
      await page.getByTestId('inline-first-name-input').fill('Modifié');
      await page.getByTestId('inline-first-name-save').click();
      await expect
        .poll(() => page.getByTestId('inline-first-name').textContent())
        .toContain('Vous n’avez pas le droit');
      expect(await page.getByTestId('inline-first-name').textContent()).not.toMatch(
        /agents can only|forbidden/i,
      );

      // A deal's stage, picked in place.
      const next = pipeline?.stages[1];
      await page.goto(`/deals/${deal.json.id}`);
      await page.getByTestId('inline-stage-edit').click();
      await page.getByTestId('inline-stage-input').click();
      await page.getByRole('option', { name: next?.name }).click();
      await page.getByTestId('inline-stage-save').click();
      await expect.poll(() => page.getByTestId('inline-stage-value').textContent()).toContain(next?.name);
      expect((await admin.get<{ stageId: string }>(`/api/deals/${deal.json.id}`)).stageId).toBe(next?.id);
      // A negative amount: refused under the field.
      await page.getByTestId('inline-amount-edit').click();
      await page.getByTestId('inline-amount-input').fill('-5');
      await page.getByTestId('inline-amount-save').click();
      await expect
        .poll(() => page.getByTestId('inline-amount-input').getAttribute('aria-invalid'))
        .toBe('true');
      await shot(page, 'deal-inline-edit-1440-fr');
    } finally {
      await context.close();
    }
  });
});
