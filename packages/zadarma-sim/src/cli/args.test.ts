import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callApi } from '../../test/independent-zadarma.js';
import { parseCliArgs } from './args.js';

describe('parseCliArgs', () => {
  it('reads the documented options', () => {
    const cmd = parseCliArgs(
      [
        '--port',
        '4010',
        '--key',
        'K',
        '--secret',
        'S',
        '--webhook-url',
        'http://127.0.0.1:3000/zadarma',
        '--speed',
        '60',
        '--format',
        'multipart',
        '--no-rate-limits',
      ],
      {},
    );
    expect(cmd.kind).toBe('serve');
    expect(cmd.kind === 'serve' && cmd.options).toMatchObject({
      port: 4010,
      key: 'K',
      secret: 'S',
      webhookUrl: 'http://127.0.0.1:3000/zadarma',
      speed: 60,
      format: 'multipart',
      rateLimits: false,
    });
  });

  it('sends standard multipart unless --multipart-quirk asks for the boundary quirk', () => {
    const options = (argv: string[]) => {
      const cmd = parseCliArgs(['--key', 'K', '--secret', 'S', '--format', 'multipart', ...argv], {});
      return cmd.kind === 'serve' ? cmd.options : null;
    };
    expect(options([])?.multipartQuirk).toBe(false);
    expect(options(['--multipart-quirk'])?.multipartQuirk).toBe(true);
  });

  it('lists every problem at once', () => {
    const cmd = parseCliArgs(['--speed', 'fast', '--format', 'xml', '--state', '/nonexistent.json'], {});
    expect(cmd.kind).toBe('error');
    expect(cmd.kind === 'error' && cmd.problems.length).toBe(5);
  });

  it('takes the key and secret from the environment', () => {
    expect(parseCliArgs([], { ZADARMA_SIM_KEY: 'k', ZADARMA_SIM_SECRET: 's' }).kind).toBe('serve');
  });
});

describe('zadarma-sim CLI', () => {
  it('starts with a state file, prints what it serves and answers signed REST calls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zadarma-sim-'));
    const stateFile = join(dir, 'state.json');
    writeFileSync(
      stateFile,
      JSON.stringify({ account: { balance: 42.5, currency: 'EUR', timezone: 'UTC+1' } }),
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@switchboard/source',
        'src/cli.ts',
        '--port',
        '0',
        '--key',
        'K',
        '--secret',
        'S',
        '--state',
        stateFile,
      ],
      { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no banner within 15 s: ${text}`)), 15_000);
        child.stdout.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('try ')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.stderr.on('data', (c: Buffer) => {
          text += c.toString();
        });
      });
      expect(output).toContain('numbers       442037691999 → ring 100,101,102');
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] as string;
      const res = await callApi(url, { key: 'K', secret: 'S' }, 'GET', '/v1/info/balance/');
      expect(res.body).toEqual({ status: 'success', balance: 42.5, currency: 'EUR' });
    } finally {
      child.kill('SIGTERM');
    }
  }, 20_000);
});
