// Issue 12 §7, §8, §10 in a real browser: the telephony settings page explains the routing chain, the client's
// name on the phone and the blacklist in English, French and Russian; a bad template is refused with its field
// named; a contact's number is blocked from the contact's page, which then says so, and the simulator shows the
// next call from it refused.
import type { Browser } from 'playwright-core';
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

interface ContactRow {
  id: string;
  displayName: string;
  phones: { raw: string; e164: string | null }[];
}

let app: RunningApp;
let browser: Browser;
let admin: ApiSession;
let simUrl: string;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  admin = await apiSession(app.baseUrl, 'admin@example.com');
  const status = await admin.get<{ simulatorUrl: string }>('/api/demo/status');
  simUrl = status.simulatorUrl.replace(/\/$/, '');
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('browser: what is decided while the phone rings', () => {
  it('explains each switch on the telephony settings page in en, fr and ru, and names a bad template field', async () => {
    const session = await newPage(browser, app.baseUrl, { height: 1400 });
    const p = session.page;
    try {
      await signIn(p, 'admin@example.com');
      await p.goto('/admin/telephony');
      await p.getByTestId('tel-routing').waitFor();
      // Demo mode: every switch on.
      for (const feature of ['routeToResponsible', 'callerName', 'blacklist']) {
        await expect(p.getByTestId(`feature-${feature}`).isChecked()).resolves.toBe(true);
      }
      await p.getByTestId('tel-routing').getByText('Responsible for the open deal').waitFor();
      await p.getByTestId('tel-routing').getByText('Last agent who spoke with the client').waitFor();
      await p.getByTestId('tel-caller-name').getByText('Template for known clients').waitFor();
      await p
        .getByTestId('tel-caller-name')
        .getByText(/Fields: \{contact\} \{company\}/)
        .waitFor();

      await p.getByTestId('caller-name-template').fill('{compnay} — {contact}');
      await p.getByTestId('caller-name-save').click();
      await p
        .getByTestId('tel-caller-name')
        .getByText(/Unknown field \{compnay\}\. Fields you can use: \{contact\}/)
        .waitFor();
      await shot(p, 'call-handling-settings-en');
      // The server's refusal in the reader's language, from its reason and params — never its English sentence.
      for (const [locale, refusal] of [
        ['fr', /Champ inconnu \{compnay\}\. Champs possibles : \{contact\}/],
        ['ru', /Неизвестное поле \{compnay\}\. Доступные поля: \{contact\}/],
      ] as const) {
        await p.getByTestId('language-menu').click();
        await p.getByTestId(`language-${locale}`).click();
        await p.getByTestId('tel-caller-name').getByText(refusal).waitFor();
        await expect(
          p
            .getByTestId('tel-caller-name')
            .getByText(/unknown field/i)
            .count(),
        ).resolves.toBe(0);
      }
      await p.getByTestId('language-menu').click();
      await p.getByTestId('language-en').click();
      await p.getByTestId('caller-name-template').fill('{contact} — {company} {vip}');
      await p.getByTestId('caller-name-save').click();
      await expect
        .poll(
          async () =>
            (await admin.get<{ callerNameFormat: { template: string } }>('/api/telephony/settings'))
              .callerNameFormat.template,
        )
        .toBe('{contact} — {company} {vip}');

      for (const [locale, routing, name] of [
        ['fr', 'Chaîne de routage', 'Nom du client sur le téléphone'],
        ['ru', 'Цепочка маршрутизации', 'Имя клиента на телефоне'],
      ] as const) {
        await p.getByTestId('language-menu').click();
        await p.getByTestId(`language-${locale}`).click();
        await p.getByTestId('tel-routing').getByText(routing).waitFor();
        await p.getByTestId('tel-caller-name').getByText(name).waitFor();
        await shot(p, `call-handling-settings-${locale}`);
      }
      await p.getByTestId('language-menu').click();
      await p.getByTestId('language-en').click();
      await p.getByTestId('tel-routing').getByText('Routing chain').waitFor();
    } finally {
      await session.context.close();
    }
  });

  it('blocks a client’s number from the contact page, says so there, and the next call from it is refused', async () => {
    const contacts = await admin.get<{ items: ContactRow[] }>('/api/contacts?pageSize=20');
    const contact = contacts.items.find((c) => c.phones.some((p) => p.e164));
    const number = contact?.phones.find((p) => p.e164)?.e164;
    if (!contact || !number) {
      throw new Error('the demo has no contact with a phone number');
    }
    const { context, page } = await newPage(browser, app.baseUrl);
    try {
      await signIn(page, 'agent1@example.com');
      await page.goto(`/contacts/${contact.id}`);
      await page.getByTestId('contact-name').waitFor();
      await page.getByTestId('block-number').first().click();
      await page.getByTestId('block-confirm').click();
      // The demo's agents read French or Russian: the notice is found by its test id and the number it names.
      await page.getByTestId('contact-blocked').getByText(number).waitFor();
      // Blocked already: no second "Block" for that number.
      await expect
        .poll(() => page.getByTestId('block-number').count())
        .toBe(contact.phones.filter((p) => p.e164).length - 1);
      await shot(page, 'contact-blocked');
    } finally {
      await context.close();
    }
    const placed = await fetch(`${simUrl}/_sim/calls/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: number, to: '442037691999' }),
    });
    const { pbxCallId } = (await placed.json()) as { pbxCallId: string };
    await expect
      .poll(
        async () => {
          const trace = (await (await fetch(`${simUrl}/_sim/calls/${pbxCallId}`)).json()) as {
            routing: { action: string }[];
          };
          return trace.routing.map((r) => r.action);
        },
        { timeout: 15_000 },
      )
      .toContain('blacklisted');
  });
});
