import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSignature } from '../webhook-signature.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const INDEX = fileURLToPath(new URL('../index.ts', import.meta.url));
const TSX = fileURLToPath(import.meta.resolve('tsx/cli'));

/** The code block between the example-server markers of the README, exactly as a reader copies it. */
function readmeExample(): string {
  const text = readFileSync(README, 'utf8');
  const match = /<!-- example-server:start -->\n```ts\n([\s\S]*?)```\n<!-- example-server:end -->/.exec(text);
  if (!match) {
    throw new Error('README.md has no example-server block');
  }
  return match[1] as string;
}

const START = {
  event: 'NOTIFY_START',
  call_start: '2024-05-14 10:15:30',
  pbx_call_id: 'in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4',
  caller_id: '442037691880',
  called_did: '442037691999',
};

describe('the README example server, over real HTTP', () => {
  let child: ChildProcess;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zadarma-readme-'));
    const file = join(dir, 'server.ts');
    // Same code; only the package specifier points at this checkout's sources.
    writeFileSync(
      file,
      readmeExample().replace("'@switchboard/zadarma'", JSON.stringify(pathToFileURL(INDEX).href)),
    );
    child = spawn(process.execPath, [TSX, file], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        ZADARMA_SECRET: SECRET,
        ZADARMA_WEBHOOK_ALLOW: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\d+)/.exec(out);
        if (m) {
          resolve(m[1] as string);
        }
      });
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.on('exit', (code) => reject(new Error(`example server exited with ${code}: ${err}`)));
    });
    base = `http://127.0.0.1:${port}/zadarma`;
  }, 30_000);

  afterAll(() => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  function post(fields: Record<string, string>, signature?: string) {
    return fetch(base, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(signature === undefined ? {} : { Signature: signature }),
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  it('answers zd_echo with the token as plain text', async () => {
    const res = await fetch(`${base}?zd_echo=abc123`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('abc123');
  });

  it('redirects a known caller to their manager with the name on the phone', async () => {
    const res = await post(START, webhookSignature(START, SECRET));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"redirect":"101","caller_name":"ACME Ltd — J. Smith"}');
  });

  it('leaves an unknown caller to the PBX scenario', async () => {
    const fields = { ...START, caller_id: '+33123456789' };
    const res = await post(fields, webhookSignature(fields, SECRET));
    expect(await res.text()).toBe('{}');
  });

  it('refuses a forged or unsigned notification with 403', async () => {
    const forged = await post(START, webhookSignature(START, 'not-the-secret'));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toBe('bad_signature');
    expect((await post(START)).status).toBe(403);
  });

  it('acknowledges other verified events with an empty 200', async () => {
    const record = {
      event: 'NOTIFY_RECORD',
      pbx_call_id: START.pbx_call_id,
      call_id_with_rec: '1715681730.4567890',
    };
    const res = await post(record, webhookSignature(record, SECRET));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});
