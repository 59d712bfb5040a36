import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKey, SecretBoxError } from './secret-box.js';

const KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('secret box', () => {
  it('round-trips any UTF-8 text', () => {
    const box = createSecretBox(KEY_HEX);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(box.open(box.seal(text))).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it('writes the versioned v1 format with a fresh IV each time', () => {
    const box = createSecretBox(KEY_HEX);
    const a = box.seal('f0e1d2c3b4a5968778f9');
    const b = box.seal('f0e1d2c3b4a5968778f9');
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('f0e1d2c3');
  });

  it('accepts the key as hex, base64 or base64url and they are the same key', () => {
    const raw = randomBytes(32);
    const sealed = createSecretBox(raw.toString('hex')).seal('secret');
    expect(createSecretBox(raw.toString('base64')).open(sealed)).toBe('secret');
    expect(createSecretBox(raw.toString('base64url')).open(sealed)).toBe('secret');
    expect(createSecretBox(raw).open(sealed)).toBe('secret');
  });

  it('refuses keys that are not 32 bytes, naming the expected form', () => {
    expect(() => parseSecretKey('abcd')).toThrow(/32 bytes given as 64 hex characters or base64/);
    expect(() => createSecretBox(randomBytes(16))).toThrow(SecretBoxError);
    expect(() => parseSecretKey(randomBytes(24).toString('base64'))).toThrow(/32 bytes/);
  });

  it('refuses to open with a wrong key', () => {
    const sealed = createSecretBox(KEY_HEX).seal('secret');
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/wrong key or tampered/);
  });

  it('detects tampering with any byte of the IV, tag or ciphertext', () => {
    const box = createSecretBox(KEY_HEX);
    const sealed = box.seal('a secret worth protecting');
    const [version, ...parts] = sealed.split(':');
    for (let part = 0; part < 3; part++) {
      const bytes = Buffer.from(parts[part] as string, 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        const copy = Buffer.from(bytes);
        copy[i] = (copy[i] as number) ^ 0x01;
        const tampered = [
          version,
          ...parts.map((p, j) => (j === part ? copy.toString('base64url') : p)),
        ].join(':');
        expect(() => box.open(tampered)).toThrow(SecretBoxError);
      }
    }
  });

  it('names a malformed or unknown format', () => {
    const box = createSecretBox(KEY_HEX);
    expect(() => box.open('plain text')).toThrow(/unknown format/);
    expect(() => box.open('v2:a:b:c')).toThrow(/unknown format/);
    expect(() => box.open('v1:abc')).toThrow(/expected 4/);
    expect(() => box.open('v1:AAAA:AAAA:AAAA')).toThrow(/IV must be 12 bytes/);
  });
});
