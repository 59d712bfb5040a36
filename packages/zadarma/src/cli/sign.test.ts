import { describe, expect, it } from 'vitest';
import { type CliIo, runSign } from './sign.js';

const SECRET = 'f0e1d2c3b4a5968778f9';

function capture(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    out: () => out,
    err: () => err,
  };
}

const A3 = [
  '--path',
  '/v1/request/callback/',
  '--param',
  'from=100',
  '--param',
  'to=+442037691881',
  '--param',
  'sip=100',
];
const A3_REST = ['--param', 'predicted=predicted', '--param', 'format=json'];

describe('zadarma sign — docs/zadarma-protocol.md §2.6 golden vectors', () => {
  it('A3: prints the click-to-call signature', () => {
    const io = capture();
    expect(runSign([...A3, ...A3_REST, '--secret', SECRET], io)).toBe(0);
    expect(io.out()).toBe('NTQyMTQyNDIwMTk3NTgyMTIxMmRhOTliYTg2NDZjMjYzZjRmZTgxYg==\n');
    expect(io.err()).toBe('');
  });

  it('A3: prints the whole header with --key and the canonical string with --canonical', () => {
    const io = capture();
    expect(
      runSign([...A3, ...A3_REST, '--secret', SECRET, '--key', 'a0b1c2d3e4f5a6b7c8d9', '--canonical'], io),
    ).toBe(0);
    expect(io.out()).toBe('a0b1c2d3e4f5a6b7c8d9:NTQyMTQyNDIwMTk3NTgyMTIxMmRhOTliYTg2NDZjMjYzZjRmZTgxYg==\n');
    expect(io.err()).toBe('format=json&from=100&predicted=predicted&sip=100&to=%2B442037691881\n');
  });

  it('A13: nests bracket keys (zcrm lead, no trailing slash)', () => {
    const io = capture({ ZADARMA_SECRET: SECRET });
    const argv = ['--path', '/v1/zcrm/leads', '--param', 'convert=0', '--param', 'lead[name]=Good Company'];
    argv.push('--param', 'lead[phones][0][type]=work', '--param', 'lead[phones][0][phone]=+44123456789');
    argv.push('--param', 'format=json');
    expect(runSign(argv, io)).toBe(0);
    expect(io.out()).toBe('ZmVmOTQ5MWRmOGEzZjQyZTEyOWQ3YWQyYzNhNjZmNjFiNWYwYjA1MQ==\n');
  });

  it('A12: signs a list given as numbers[0], numbers[1]', () => {
    const io = capture();
    const argv = [
      '--path',
      '/v1/info/number_lookup/',
      '--secret',
      SECRET,
      '--param',
      'numbers[0]=442037691880',
    ];
    argv.push('--param', 'numbers[1]=442037691881', '--param', 'format=json');
    expect(runSign(argv, io)).toBe(0);
    expect(io.out()).toBe('OGQwMjk1YTZhZTIxOWI4M2Q0YzA4M2ZjMDU1ODdiYmZjYmVjODY5MA==\n');
  });

  it('A2: signs a request with no parameters at all', () => {
    const io = capture();
    expect(runSign(['--path', '/v1/info/balance/', '--secret', SECRET], io)).toBe(0);
    expect(io.out()).toBe('MTJlNDJhZTU1YTY2NzJkZWYxM2UwMGY1MWU0NzUxYzgzYjlmNGNmMQ==\n');
  });
});

describe('zadarma sign — usage', () => {
  it('prints help on --help with exit 0', () => {
    const io = capture();
    expect(runSign(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: zadarma sign/);
  });

  it('exits 2 without ever printing the secret', () => {
    const cases = [
      ['--secret', SECRET],
      ['--path', 'v1/info/balance/', '--secret', SECRET],
      ['--path', '/v1/info/balance/', '--secret', SECRET, '--param', 'novalue'],
      ['--path', '/v1/info/balance/', '--secret', SECRET, '--bogus'],
      ['--path', '/v1/info/balance/', '--secret', SECRET, 'positional'],
      ['--path', '/v1/info/balance/'],
    ];
    for (const argv of cases) {
      const io = capture();
      expect(runSign(argv, io)).toBe(2);
      expect(io.out()).toBe('');
      expect(io.err()).toMatch(/^zadarma: .+\nUsage: zadarma sign/);
      expect(io.err()).not.toContain(SECRET);
    }
  });
});
