// Date inputs speak the app's language, not the browser's: a French user on an English (US) browser sees and
// types the calls page's dates as jj/mm/aaaa, the filter applies (the URL and the server get ISO days), and a
// Russian user reads дд.мм.гггг. Screenshots in FR and RU.
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

let app: RunningApp;
let browser: Browser;
let sim: Simulator;
let admin: ApiSession;
const open: BrowserContext[] = [];
let pbxCallId = '';

/**
 * The browser's local day, `plusDays` from now: ISO, as a French and a Russian user write it, and as the French
 * log's date column starts (`5 déc. 2026`).
 */
async function localDay(
  page: Page,
  plusDays: number,
): Promise<{ iso: string; fr: string; ru: string; shown: string }> {
  return page.evaluate((plus) => {
    const d = new Date();
    d.setDate(d.getDate() + plus);
    const pad = (n: number) => String(n).padStart(2, '0');
    const [y, m, day] = [d.getFullYear(), pad(d.getMonth() + 1), pad(d.getDate())];
    const shown = new Intl.DateTimeFormat('fr', { dateStyle: 'medium' }).format(d);
    return { iso: `${y}-${m}-${day}`, fr: `${day}/${m}/${y}`, ru: `${day}.${m}.${y}`, shown };
  }, plusDays);
}

/** The day of each row of the log, as its date column writes it (the text before the time). */
async function rowDays(page: Page): Promise<string[]> {
  const cells = await page.locator('[data-testid="call-row"] td:first-child').allTextContents();
  return cells.map((text) => text.replace(/\s+/g, ' ').split(',')[0]?.trim() ?? '');
}

/** The admin (who sees every call) switches the app's language in their own profile. */
async function adminSpeaks(locale: 'en' | 'fr' | 'ru'): Promise<void> {
  expect((await admin.request('PATCH', '/api/auth/me', { locale })).status).toBe(200);
}

const row = (page: Page) => page.locator(`[data-testid="call-row"][data-pbx-call-id="${pbxCallId}"]`);

beforeAll(async () => {
  ({ app, browser, sim, admin } = await startDemoRig());
  // One call today, so a filter that keeps today shows it and one that ends yesterday does not.
  const started = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
    from: randomMobile(),
    to: DEMO_NUMBER,
    answer: null,
    outcome: 'cancel',
    ringSeconds: 1,
  });
  pbxCallId = started.pbxCallId;
  await sim('GET', `/_sim/calls/${pbxCallId}?wait=30000`);
});

afterAll(async () => {
  await stopDemoRig({ app, browser }, open);
});

describe('browser: date inputs in the app’s language', () => {
  it('lets a French user on an English browser type jj/mm/aaaa on the calls page, and filters by it', async () => {
    await adminSpeaks('fr');
    const { page } = await signedInPage(browser, app.baseUrl, 'admin@example.com', open, {
      width: 1440,
      height: 900,
      locale: 'en-US',
    });
    await page.goto('/calls');
    await row(page).waitFor();
    const from = page.getByTestId('calls-from');
    const to = page.getByTestId('calls-to');
    expect(await from.getAttribute('placeholder')).toBe('jj/mm/aaaa');
    expect(await from.getAttribute('type')).not.toBe('date');

    const today = await localDay(page, 0);
    const yesterday = await localDay(page, -1);
    // The demo's history has calls of earlier days: before the filter, not every row is from today.
    expect(await rowDays(page)).not.toEqual((await rowDays(page)).map(() => today.shown));

    await from.click();
    await from.pressSequentially(today.fr);
    // The calendar beside it is French too (months and weekdays).
    await page
      .getByText(/^(lu|ma|me|je|ve|sa|di)$/i)
      .first()
      .waitFor();
    await page.waitForURL((url) => url.searchParams.get('from') === today.iso);
    await from.press('Escape');
    await page.getByTestId('calls-filters').click({ position: { x: 2, y: 2 } });
    // Router navigations render as transitions: the field and the list follow the URL a moment later.
    await expect.poll(() => from.inputValue()).toBe(today.fr);
    await expect
      .poll(async () => {
        const days = await rowDays(page);
        return days.length > 0 && days.every((d) => d === today.shown);
      })
      .toBe(true);
    await row(page).waitFor();
    await shot(page, 'calls-date-filter-fr');

    // Up to yesterday: today's call leaves the list.
    await to.click();
    await to.pressSequentially(yesterday.fr);
    await page.waitForURL((url) => url.searchParams.get('to') === yesterday.iso);
    await expect.poll(() => row(page).count()).toBe(0);

    // Clearing the text clears the filter; the call is back.
    await to.fill('');
    await page.waitForURL((url) => !url.searchParams.has('to'));
    await row(page).waitFor();

    // A link with ISO days (as the statistics page makes them) reads back in French.
    await page.goto(`/calls?from=${yesterday.iso}&to=${today.iso}`);
    await row(page).waitFor();
    expect(await page.getByTestId('calls-from').inputValue()).toBe(yesterday.fr);
    expect(await page.getByTestId('calls-to').inputValue()).toBe(today.fr);
  });

  it('writes the same days as дд.мм.гггг for a Russian user', async () => {
    await adminSpeaks('ru');
    const { page } = await signedInPage(browser, app.baseUrl, 'admin@example.com', open, {
      width: 1440,
      height: 900,
      locale: 'en-US',
    });
    const today = await localDay(page, 0);
    await page.goto(`/calls?from=${today.iso}`);
    await row(page).waitFor();
    const from = page.getByTestId('calls-from');
    expect(await from.inputValue()).toBe(today.ru);
    expect(await page.getByTestId('calls-to').getAttribute('placeholder')).toBe('дд.мм.гггг');
    await from.click();
    await page
      .getByText(/^(пн|вт|ср|чт|пт|сб|вс)$/i)
      .first()
      .waitFor();
    await shot(page, 'calls-date-filter-ru');
  });

  it('shows a task’s due time in the app’s format: 12-hour in English, 24-hour in French', async () => {
    // 14:30 UTC is 15:30 in the browser's Paris time (winter).
    const created = await admin.request('POST', '/api/tasks', {
      title: 'Date format check',
      dueAt: '2026-12-20T14:30:00.000Z',
    });
    expect(created.status).toBe(201);
    for (const [locale, shown] of [
      ['en', '12/20/2026 03:30 PM'],
      ['fr', '20/12/2026 15:30'],
    ] as const) {
      await adminSpeaks(locale);
      const { page } = await signedInPage(browser, app.baseUrl, 'admin@example.com', open, {
        width: 1280,
        height: 800,
        locale: 'en-US',
      });
      await page.goto('/tasks?q=Date%20format%20check');
      await page.getByText('Date format check').first().click();
      await page.getByRole('dialog').getByText(shown).waitFor();
      await shot(page, `task-due-${locale}`);
    }
  });
});
