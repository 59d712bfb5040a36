/**
 * What an admin sees of the hardened webhook receiver, in a real browser: a refused request kept as metadata in
 * the inbox, the previous secret accepted for a while after a rotation, the retention settings, the failed jobs.
 */
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSession, launchBrowser, newPage, type RunningApp, shot, signIn, startApp } from './harness.js';

let app: RunningApp;
let browser: Browser;
const open: BrowserContext[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of open) {
    await context.close().catch(() => undefined);
  }
  await browser?.close();
  await app?.stop();
});

describe('browser: the webhook receiver as an admin sees it', () => {
  it('shows a forged request as refused, with its size and hash instead of its body', async () => {
    const body = `event=NOTIFY_START&pbx_call_id=in_forged_e2e&caller_id=33612345678&pad=${'x'.repeat(20_000)}`;
    const res = await fetch(`${app.baseUrl}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', signature: 'Zm9yZ2Vk' },
      body,
    });
    expect(res.status).toBe(403);

    const { context, page } = await newPage(browser, app.baseUrl);
    open.push(context);
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/inbox?status=rejected');
    await page.getByTestId('inbox-row').filter({ hasText: 'in_forged_e2e' }).first().click();
    const digest = page.getByTestId('inbox-body-digest');
    await digest.waitFor();
    const sha256 = createHash('sha256').update(body).digest('hex');
    await expect(digest.textContent()).resolves.toContain(sha256);
    await expect(digest.textContent()).resolves.toMatch(/20[,\s ]?0\d\d bytes/);
    // Only a prefix of the body is shown: the padding is not there in full.
    const raw = (await page.getByTestId('inbox-raw').textContent()) ?? '';
    expect(raw.length).toBeLessThan(1_000);
    // The reason in the reader's words; the server's own words kept beside it as the technical detail.
    await expect(page.getByTestId('inbox-detail-error').textContent()).resolves.toBe(
      'Forged: the signature does not match the API secret',
    );
    await expect(page.getByTestId('inbox-detail-error-detail').textContent()).resolves.toMatch(
      /^bad_signature/,
    );
    await shot(page, 'inbox-refused-request');
    // A French admin reads the refusal in French, in the inbox and on the telephony settings' webhook card.
    const admin = await apiSession(app.baseUrl, 'admin@example.com');
    await admin.request('PATCH', '/api/auth/me', { locale: 'fr' });
    try {
      await page.reload();
      await expect(page.getByTestId('inbox-detail-error').textContent()).resolves.toBe(
        'Falsifiée : la signature ne correspond pas au secret API',
      );
      await page.goto('/admin/telephony');
      await expect(page.getByTestId('tel-last-rejected').textContent()).resolves.toContain(
        'Falsifiée : la signature ne correspond pas au secret API',
      );
      await expect(page.getByTestId('tel-last-rejected').textContent()).resolves.not.toContain(
        'bad_signature',
      );
    } finally {
      await admin.request('PATCH', '/api/auth/me', { locale: 'en' });
    }
  });

  it('keeps accepting the previous secret for a while after a rotation, and says until when', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    open.push(context);
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/telephony');
    await page.getByTestId('tel-api-key').waitFor();
    // Mantine puts the test id on the field's wrapper or on the input itself, depending on the component.
    await page
      .locator('input[data-testid="tel-api-secret"], [data-testid="tel-api-secret"] input')
      .fill('a-brand-new-secret-0123456789');
    await page.getByTestId('tel-secret-leaked').waitFor();
    await page
      .getByRole('button', { name: /^(Save|Enregistrer)$/ })
      .first()
      .click();
    const grace = page.getByTestId('tel-previous-secret');
    await grace.waitFor();
    await expect(grace.textContent()).resolves.toMatch(/is accepted until/);
    await shot(page, 'telephony-secret-rotation');
    // "Refuse it now" ends the grace at once.
    await page.getByTestId('tel-previous-secret-revoke').click();
    await grace.waitFor({ state: 'detached' });
  });

  it('lets an admin set how long webhooks and live events are kept, and shows the failed-jobs page', async () => {
    const { context, page } = await newPage(browser, app.baseUrl);
    open.push(context);
    await signIn(page, 'admin@example.com');
    await page.goto('/admin/settings');
    await page.getByText('Retention').waitFor();
    await expect(page.getByText('Refused webhook requests').count()).resolves.toBeGreaterThan(0);
    await shot(page, 'settings-retention');
    await page.goto('/admin/jobs');
    await page.getByText('No failed jobs.').waitFor();
    await shot(page, 'jobs-page');
  });
});
