import { describe, expect, it } from 'vitest';
import type { CliIo } from './sign.js';
import { runWebhookSignature } from './webhook-signature.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const START_SIG = 'MGRhZjkyYWEyMDgyNzI2NjFmZTE1MzEzNTVmYWIwYjg5NmQ2NGFlYw==';

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

const START_FIELDS = [
  'event=NOTIFY_START',
  'caller_id=442037691880',
  'called_did=442037691999',
  'call_start=2024-05-14 10:15:30',
];

describe('zadarma webhook-signature — docs/zadarma-protocol.md §5.6 vectors', () => {
  it('NOTIFY_START from --field options', () => {
    const io = capture();
    expect(
      runWebhookSignature(['--secret', SECRET, ...START_FIELDS.flatMap((f) => ['--field', f])], io),
    ).toBe(0);
    expect(io.out()).toBe(`${START_SIG}\n`);
  });

  it('NOTIFY_START with a + in caller_id, secret from the environment', () => {
    const io = capture({ ZADARMA_SECRET: SECRET });
    const fields = START_FIELDS.map((f) => (f.startsWith('caller_id') ? 'caller_id=+442037691880' : f));
    expect(
      runWebhookSignature(
        fields.flatMap((f) => ['--field', f]),
        io,
      ),
    ).toBe(0);
    expect(io.out()).toBe('NjczZjA5ZmRjYzM1MTU0MzJjOTIyN2NlOWM2ZDFkNmFkMzE4YjI5NQ==\n');
  });

  it('NOTIFY_RECORD and SMS from a raw --body', () => {
    const io = capture();
    const record =
      'event=NOTIFY_RECORD&call_id_with_rec=1715681730.4567890&pbx_call_id=in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4';
    expect(runWebhookSignature(['--secret', SECRET, '--body', record], io)).toBe(0);
    const sms =
      'event=SMS&result=%7B%22caller_did%22%3A%22442037691999%22%2C%22caller_id%22%3A%22442037691880%22%2C%22text%22%3A%22Hello+from+a+customer%22%7D';
    expect(runWebhookSignature(['--secret', SECRET, '--body', sms], io)).toBe(0);
    expect(io.out()).toBe(
      'MmUyNDk5ZTc5ZmIxNWIwOTk1NDA3ZjVlMmYxZmVkNTg3MzYwYjFiYQ==\nMWNmMzE5NDgwN2Q2NDhjZDk2N2RkN2RmODBmN2I4NjlhNTYyMGQ0NQ==\n',
    );
  });

  it('lists the signed fields in --help', () => {
    const io = capture();
    expect(runWebhookSignature(['-h'], io)).toBe(0);
    expect(io.out()).toMatch(/NOTIFY_OUT_START\s+internal \. destination \. call_start/);
  });

  it('exits 2 for a missing or unknown event, both inputs, or no secret — never printing the secret', () => {
    const cases = [
      ['--secret', SECRET, '--field', 'caller_id=1'],
      ['--secret', SECRET, '--field', 'event=NOTIFY_NEW'],
      ['--secret', SECRET, '--field', 'event=SMS', '--body', 'event=SMS'],
      ['--secret', SECRET, '--field', 'event'],
      ['--field', 'event=SMS'],
    ];
    for (const argv of cases) {
      const io = capture();
      expect(runWebhookSignature(argv, io)).toBe(2);
      expect(io.out()).toBe('');
      expect(io.err()).toMatch(/^zadarma: /);
      expect(io.err()).not.toContain(SECRET);
    }
  });
});
