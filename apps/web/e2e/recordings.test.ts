// Issue 11 (recordings vault) in a real browser against the demo server's own simulator: a recorded call's audio is
// copied by the fetch job, plays on the contact's timeline with a waveform and seeking (HTTP Range), another agent is
// refused (403) and the refusal and the listen are in the audit an admin reads.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  apiSession,
  type RunningApp,
  type Simulator,
  shot,
  signedInPage,
  startDemoRig,
  stopDemoRig,
} from './harness.js';

interface ContactRow {
  id: string;
  displayName: string;
  responsibleUserId: string | null;
  doNotCall: boolean;
  phones: { e164: string | null }[];
}

let app: RunningApp;
let browser: Browser;
let admin: ApiSession;
let sim: Simulator;
const open: BrowserContext[] = [];
/** A call Julien (extension 101) took, recorded and transcribed (set by the transcript test). */
let julienCallId = '';

async function page(email: string): Promise<Page> {
  return (await signedInPage(browser, app.baseUrl, email, open)).page;
}

beforeAll(async () => {
  ({ app, browser, admin, sim } = await startDemoRig());
});

afterAll(async () => {
  await stopDemoRig({ app, browser }, open);
});

describe('browser: the recordings vault', () => {
  it('plays a recorded call with seeking, refuses another agent (403), and shows both in the audit', async () => {
    const users = await admin.get<{ id: string; name: string }[]>('/api/users/directory');
    const julien = users.find((u) => u.name === 'Julien Moreau')?.id;
    const contacts = await admin.get<{ items: ContactRow[] }>(
      `/api/contacts?responsibleUserId=${julien}&pageSize=100`,
    );
    const contact = contacts.items.find((c) => !c.doNotCall && c.phones.some((p) => p.e164));
    expect(contact, 'a demo contact of Julien with a phone number').toBeDefined();
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: contact?.phones.find((p) => p.e164)?.e164,
      to: '442037691999',
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 6,
    });
    // The trace is complete once NOTIFY_RECORD is delivered (10 s after the end on the demo's real-time clock).
    await sim('GET', `/_sim/calls/${pbxCallId}?wait=60000`);
    const calls = await admin.get<{ items: { id: string; pbxCallId: string }[] }>(
      `/api/calls?contactId=${contact?.id}&pageSize=100`,
    );
    const callId = calls.items.find((c) => c.pbxCallId === pbxCallId)?.id as string;
    expect(callId).toBeTruthy();
    await expect
      .poll(
        async () => (await admin.get<{ status: string }>(`/api/calls/${callId}/recording/summary`)).status,
        {
          timeout: 30_000,
          interval: 250,
        },
      )
      .toBe('stored');

    await expect
      .poll(
        async () => (await admin.get<{ available: boolean }>(`/api/calls/${callId}/transcript`)).available,
        {
          timeout: 30_000,
          interval: 250,
        },
      )
      .toBe(true);

    // Julien took the call: the recording opens on the contact's timeline, with its waveform and transcript.
    const julienPage = await page('agent1@example.com');
    await julienPage.goto(`/contacts/${contact?.id}`);
    const item = julienPage.getByTestId('timeline').locator('[data-kind="call"]').first();
    await item.getByTestId('recording-toggle').click();
    const audio = item.getByTestId('recording-audio');
    await audio.waitFor();
    await item.getByTestId('recording-waveform').locator('div').first().waitFor();
    const seeked = await audio.evaluate(async (element) => {
      const player = element as HTMLAudioElement;
      if (player.readyState < 1) {
        await new Promise((resolve) => player.addEventListener('loadedmetadata', resolve, { once: true }));
      }
      const seekedOnce = new Promise((resolve) => player.addEventListener('seeked', resolve, { once: true }));
      player.currentTime = 4;
      await seekedOnce;
      return {
        duration: player.duration,
        currentTime: player.currentTime,
        seekableEnd: player.seekable.length > 0 ? player.seekable.end(0) : 0,
        error: player.error?.code ?? null,
      };
    });
    expect(seeked.error).toBeNull();
    expect(seeked.duration).toBeCloseTo(6, 0);
    // Seekable over the whole file only when the server answers byte ranges (206).
    expect(seeked.seekableEnd).toBeCloseTo(6, 0);
    expect(seeked.currentTime).toBeCloseTo(4, 0);
    // The transcript by speaker beside it; a phrase seeks the player to where it was said.
    const phrases = item.getByTestId('transcript-phrase');
    await expect.poll(() => phrases.count()).toBe(6);
    await expect(phrases.first().textContent()).resolves.toMatch(/Agent.*hello thank you for calling/);
    await phrases.nth(3).click();
    const at = await audio.evaluate((element) => (element as HTMLAudioElement).currentTime);
    expect(at).toBeGreaterThan(2);
    await shot(julienPage, 'recording-on-contact-timeline');

    // Olga is neither the call's agent nor the contact's responsible: refused, and the refusal is audited.
    const olga = await apiSession(app.baseUrl, 'agent2@example.com');
    expect((await olga.request('GET', `/api/calls/${callId}/recording`)).status).toBe(403);

    const adminPage = await page('admin@example.com');
    await adminPage.goto('/admin/recordings-audit');
    const rows = adminPage.getByTestId('recordings-audit-row');
    await rows.first().waitFor();
    const lines = await rows.allTextContents();
    expect(
      lines.some((l) => l.includes('Julien Moreau') && l.includes('Played') && l.includes('Allowed')),
    ).toBe(true);
    expect(lines.some((l) => l.includes('Olga') && l.includes('Refused'))).toBe(true);
    await shot(adminPage, 'recordings-audit');

    // Right to be forgotten: the admin erases the contact's recordings, here and at Zadarma, and is told what was done.
    await adminPage.goto(`/contacts/${contact?.id}`);
    await adminPage.getByTestId('erase-recordings').click();
    await shot(adminPage, 'erase-recordings-confirm');
    await adminPage.getByTestId('erase-confirm').click();
    const report = adminPage.getByTestId('erase-report');
    await report.waitFor();
    const reportRows = await report.locator('tr').allTextContents();
    expect(reportRows).toContain('Recordings found1');
    expect(reportRows).toContain('Deleted from this server1');
    expect(reportRows).toContain('Deleted at Zadarma1');
    await shot(adminPage, 'erase-recordings-report');
    await adminPage.getByTestId('erase-close').click();
    const after = await admin.get<{ available: boolean; status: string }>(
      `/api/calls/${callId}/recording/summary`,
    );
    expect(after).toMatchObject({ available: false, status: 'none' });

    // The vault's setting on the telephony settings page, in French.
    await adminPage.getByTestId('language-menu').click();
    await adminPage.getByTestId('language-fr').click();
    await adminPage.goto('/admin/telephony');
    const card = adminPage.getByTestId('recordings-card');
    await card.getByText('Enregistrements d’appels').waitFor();
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(process.env.SB_SHOTS_DIR ?? '/tmp/shots', 'recordings-card-fr.png') });
  });

  it('says "no recording" for a call that was not recorded', async () => {
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: '+33612000111',
      to: '442037691999',
      answer: '100',
      ringSeconds: 1,
      talkSeconds: 2,
      record: false,
    });
    await sim('GET', `/_sim/calls/${pbxCallId}?wait=30000`);
    const calls = await admin.get<{ items: { id: string; pbxCallId: string }[] }>('/api/calls?pageSize=50');
    const callId = calls.items.find((c) => c.pbxCallId === pbxCallId)?.id as string;
    const summary = await admin.get<{ available: boolean; status: string }>(
      `/api/calls/${callId}/recording/summary`,
    );
    expect(summary).toMatchObject({ available: false, status: 'none' });
    expect((await admin.request('GET', `/api/calls/${callId}/recording`)).status).toBe(404);
    // The call's page says so, and shows no player that could only fail.
    const adminPage = await page('admin@example.com');
    await adminPage.goto(`/calls/${callId}`);
    await adminPage.getByTestId('recording-none').waitFor();
    expect(await adminPage.getByTestId('recording-audio').count()).toBe(0);
    expect(await adminPage.getByTestId('recording-waveform').count()).toBe(0);
  });
  it("shows the transcript Zadarma posted beside the audio on the call's page, and the call log finds the call by what was said", async () => {
    // Julien's extension transcribes automatically (demo): after NOTIFY_RECORD the simulator posts SPEECH_RECOGNITION.
    const { pbxCallId } = await sim<{ pbxCallId: string }>('POST', '/_sim/calls/inbound', {
      from: '+33612000222',
      to: '442037691999',
      answer: '101',
      ringSeconds: 1,
      talkSeconds: 6,
    });
    await sim('GET', `/_sim/calls/${pbxCallId}?wait=60000`);
    const events = await sim<{ event: string; fields: Record<string, string>; httpStatus: number | null }[]>(
      'GET',
      '/_sim/events',
    );
    expect(
      events
        .filter((e) => e.event === 'SPEECH_RECOGNITION' && e.fields.pbx_call_id === pbxCallId)
        .map((e) => e.httpStatus),
    ).toEqual([200]);
    const calls = await admin.get<{ items: { id: string; pbxCallId: string }[] }>('/api/calls?pageSize=50');
    const callId = calls.items.find((c) => c.pbxCallId === pbxCallId)?.id as string;
    expect(callId).toBeTruthy();
    julienCallId = callId;
    await expect
      .poll(
        async () => (await admin.get<{ status: string }>(`/api/calls/${callId}/recording/summary`)).status,
        {
          timeout: 30_000,
          interval: 250,
        },
      )
      .toBe('stored');

    // The call's page: waveform, player and, beside them, who said what.
    const julienPage = await page('agent1@example.com');
    await julienPage.goto(`/calls/${callId}`);
    const panel = julienPage.getByTestId('recording-panel');
    await panel.getByTestId('recording-waveform').locator('div').first().waitFor();
    const phrases = panel.getByTestId('transcript-phrase');
    await expect.poll(() => phrases.count(), { timeout: 15_000 }).toBe(6);
    await expect(phrases.nth(1).textContent()).resolves.toMatch(
      /Client.*hi I would like to know more about your offer/,
    );
    // Let the waveform draw before the picture.
    await julienPage.getByTestId('recording-waveform').locator('canvas').first().waitFor();
    // Julien reads the demo in French.
    await shot(julienPage, 'call-page-recording-transcript-fr');

    // The call log's search box: the words said find the call; words nobody said find nothing.
    await julienPage.goto('/calls');
    const said = julienPage.getByTestId('calls-said');
    const searched = (words: RegExp) =>
      julienPage.waitForResponse((r) => r.url().includes('/api/call-log?') && words.test(r.url()));
    await said.fill('More about your OFFER');
    const found = searched(/said=More\+about\+your\+OFFER/);
    await said.press('Enter');
    const matching = (await (await found).json()) as { items: { pbxCallId: string }[] };
    expect(matching.items.map((i) => i.pbxCallId)).toContain(pbxCallId);
    await expect
      .poll(() => julienPage.getByTestId('call-row').count(), { timeout: 10_000 })
      .toBe(matching.items.length);
    await julienPage.locator(`[data-testid="call-row"][data-pbx-call-id="${pbxCallId}"]`).waitFor();
    await shot(julienPage, 'call-log-said-search-fr');
    await said.fill('nobody ever said this');
    const none = searched(/said=nobody/);
    await said.press('Enter');
    expect(await (await none).json()).toEqual({ items: [], nextCursor: null });
    await expect.poll(() => julienPage.getByTestId('call-row').count(), { timeout: 10_000 }).toBe(0);

    // The same page in English.
    await julienPage.getByTestId('language-menu').click();
    await julienPage.getByTestId('language-en').click();
    await julienPage.goto(`/calls/${callId}`);
    await julienPage.getByTestId('recording-panel').getByTestId('transcript-phrase').first().waitFor();
    await julienPage.getByText('Transcript', { exact: true }).first().waitFor();
    await julienPage.getByTestId('recording-waveform').locator('canvas').first().waitFor();
    await shot(julienPage, 'call-page-recording-transcript-en');
    await julienPage.getByTestId('language-menu').click();
    await julienPage.getByTestId('language-fr').click();
  }, 150_000);

  it("lets an admin show every call to every agent, and hide other agents' calls again", async () => {
    expect(julienCallId).toBeTruthy();
    const olga = await apiSession(app.baseUrl, 'agent2@example.com');
    const olgaReads = async () => [
      (await olga.request('GET', `/api/call-log/${julienCallId}`)).status,
      (await olga.request('GET', `/api/calls/${julienCallId}/recording/summary`)).status,
    ];
    expect(await olgaReads()).toEqual([404, 404]);
    // Agents may not change it.
    expect(
      (await olga.request('PUT', '/api/telephony/call-visibility', { agentsSeeAllCalls: true })).status,
    ).toBe(403);

    const adminPage = await page('admin@example.com');
    await adminPage.goto('/admin/telephony');
    const card = adminPage.getByTestId('call-visibility-card');
    await card.scrollIntoViewIfNeeded();
    const toggle = card.getByRole('switch');
    expect(await toggle.isChecked()).toBe(false);
    const saved = () =>
      adminPage.waitForResponse(
        (r) => r.url().endsWith('/api/telephony/call-visibility') && r.request().method() === 'PUT',
      );
    const on = saved();
    // Mantine's switch input is visually hidden behind its track: clicked as the user's click reaches it.
    await toggle.click({ force: true });
    expect((await on).status()).toBe(200);
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await card.screenshot({
      path: join(process.env.SB_SHOTS_DIR ?? '/tmp/shots', 'call-visibility-card.png'),
    });
    expect(await olgaReads()).toEqual([200, 200]);

    // Olga now opens Julien's call, its recording and transcript, in her browser.
    const olgaPage = await page('agent2@example.com');
    await olgaPage.goto(`/calls/${julienCallId}`);
    await olgaPage.getByTestId('recording-panel').getByTestId('transcript-phrase').first().waitFor();

    const off = saved();
    // Mantine's switch input is visually hidden behind its track: clicked as the user's click reaches it.
    await toggle.click({ force: true });
    expect((await off).status()).toBe(200);
    expect(await olgaReads()).toEqual([404, 404]);
  });
});
