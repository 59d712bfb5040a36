// Starts the REAL server (apps/server, from source through tsx) on a random port with a fresh temporary SQLite
// database in demo mode, serving the built web app, and drives Debian's Chromium through playwright-core.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(webDir, '../..');
const SHOTS_DIR = process.env.SB_SHOTS_DIR ?? '/tmp/shots';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RunningApp {
  baseUrl: string;
  stop: () => Promise<void>;
  logs: () => string;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts the server; throws (never skips) with the server's own output when it cannot start. */
export async function startApp(): Promise<RunningApp> {
  const dist = join(webDir, 'dist', 'index.html');
  if (!existsSync(dist)) {
    throw new Error(`the web app is not built (${dist} missing): run npm run build -w @switchboard/web`);
  }
  const serverMain = join(repoDir, 'apps/server/src/main.ts');
  if (!existsSync(serverMain)) {
    throw new Error(`the server entry point ${serverMain} does not exist`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  const port = await freePort();
  const tsx = join(repoDir, 'node_modules/.bin/tsx');
  let output = '';
  const child: ChildProcess = spawn(tsx, ['--conditions=@switchboard/source', serverMain], {
    cwd: repoDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO: '1',
      WEB_DIST_DIR: join(webDir, 'dist'),
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '1000',
      DATABASE_URL: '',
      // Demo mode starts the built-in Zadarma simulator: any free port, so test runs never collide.
      SIMULATOR_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited: number | null | undefined;
  const exitedPromise = new Promise<void>((done) => {
    child.on('exit', (code) => {
      exited = code;
      done();
    });
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exitedPromise;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  let lastError = '';
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      await stop();
      throw new Error(
        `the server exited with code ${exited} before it answered /api/health:\n${output.slice(-4000)}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      const health = (await response.json()) as { status?: string; mode?: string };
      if (response.ok && health.status === 'ok') {
        if (health.mode !== 'demo') {
          await stop();
          throw new Error(
            `the server started in "${health.mode}" mode; the browser tests need demo data (DEMO=1)`,
          );
        }
        return { baseUrl, stop, logs: () => output };
      }
      lastError = `health answered ${response.status}`;
    } catch (error) {
      if (error instanceof Error && error.message.includes('mode; the browser tests')) {
        throw error;
      }
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(
    `the server did not answer ${baseUrl}/api/health within 90 s (${lastError}):\n${output.slice(-4000)}`,
  );
}

/** Launches Debian's Chromium headless with the flags CI needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM} (install Debian's chromium package)`);
  }
  mkdirSync(SHOTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser context (own cookies) in English at desktop size unless told otherwise. */
export async function newPage(
  browser: Browser,
  baseUrl: string,
  options: { width?: number; height?: number; locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    locale: options.locale ?? 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Signs in through the sign-in page and waits for the shell. */
export async function signIn(page: Page, email: string, password = 'demo'): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/^email/i).fill(email);
  await page.getByLabel(/^password/i).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-menu').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`), fullPage: true });
}

/** A signed-in API client on the Node side (cookie session + CSRF header). Why: tests set up data fast. */
export interface ApiSession {
  request: <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; json: T }>;
  get: <T>(path: string) => Promise<T>;
}

/** Signs in through `POST /api/auth/login` and returns a client that carries the session. */
export async function apiSession(baseUrl: string, email: string, password = 'demo'): Promise<ApiSession> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) {
    throw new Error(`signing in as ${email} failed: ${login.status} ${await login.text()}`);
  }
  const cookies = new Map<string, string>();
  for (const header of login.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) {
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = decodeURIComponent(cookies.get('sb_csrf') ?? '');
  const request = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    request,
    get: async <T>(path: string) => {
      const { status, json } = await request<T>('GET', path);
      if (status !== 200) {
        throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(json)}`);
      }
      return json;
    },
  };
}

/** The demo's Zadarma number: calls the simulator places "to" it reach the demo server. */
export const DEMO_NUMBER = '442037691999';

/** Drives the simulator's test API (`/_sim/...`); a non-2xx answer throws with the simulator's own text. */
export type Simulator = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function simulatorClient(simUrl: string): Simulator {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${simUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`simulator ${method} ${path} answered ${response.status}: ${text}`);
    }
    return JSON.parse(text) as T;
  };
}

/**
 * A number nobody in the demo has, so each test starts from a caller the CRM has never seen. The default
 * +33 61… is always a valid French mobile range (63x and 69x are not all assigned).
 */
export function randomMobile(prefix = '+3361'): string {
  return `${prefix}${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
}

/** What a browser suite against the demo server needs: the app, a browser, an admin API session, the simulator. */
export interface DemoRig {
  app: RunningApp;
  browser: Browser;
  admin: ApiSession;
  simUrl: string;
  sim: Simulator;
}

/** Starts the demo server and a browser, signs the admin in on the API and finds the demo's own simulator. */
export async function startDemoRig(): Promise<DemoRig> {
  const app = await startApp();
  const browser = await launchBrowser();
  const admin = await apiSession(app.baseUrl, 'admin@example.com');
  const status = await admin.get<{ simulatorUrl: string }>('/api/demo/status');
  const simUrl = status.simulatorUrl.replace(/\/$/, '');
  return { app, browser, admin, simUrl, sim: simulatorClient(simUrl) };
}

/** Closes what a suite opened, whatever of it exists (a failed start leaves some of it undefined). */
export async function stopDemoRig(
  rig: { app?: RunningApp; browser?: Browser },
  contexts: readonly BrowserContext[] = [],
): Promise<void> {
  for (const context of contexts) {
    await context.close().catch(() => undefined);
  }
  await rig.browser?.close();
  await rig.app?.stop();
}

/** A fresh context signed in as `email`, remembered in `contexts` so the suite closes it. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  contexts: BrowserContext[],
  options: { width?: number; height?: number; locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, baseUrl, options);
  contexts.push(opened.context);
  await signIn(opened.page, email);
  return opened;
}
