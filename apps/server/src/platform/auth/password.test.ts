import type * as Crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SCRYPT, dummyVerifyPassword, hashPassword, verifyPassword } from './password.js';

/** The cost parameters of every scrypt derivation, in order. Why: work is compared by cost, never by a clock. */
const derivations = vi.hoisted(() => [] as { N: number; r: number; p: number }[]);
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  const scrypt = (...args: unknown[]) => {
    const { N, r, p } = args[3] as { N: number; r: number; p: number };
    derivations.push({ N, r, p });
    return (actual.scrypt as (...a: unknown[]) => void)(...args);
  };
  return { ...actual, scrypt };
});

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('stores the explicit cost parameters and a per-hash salt', async () => {
    const a = await hashPassword('correct horse', FAST);
    const b = await hashPassword('correct horse', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
  });

  it('uses the default OWASP parameters when none are given', async () => {
    const hash = await hashPassword('x');
    expect(hash.startsWith(`scrypt$${DEFAULT_SCRYPT.N}$${DEFAULT_SCRYPT.r}$${DEFAULT_SCRYPT.p}$`)).toBe(true);
    expect(await verifyPassword('x', hash)).toBe(true);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('s3cret-pässword', FAST);
    expect(await verifyPassword('s3cret-pässword', hash)).toBe(true);
    expect(await verifyPassword('s3cret-password', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$abc$8$1$AA==$AA==')).toBe(false);
  });

  it('refuses overlong passwords before hashing them', async () => {
    await expect(hashPassword('a'.repeat(1025), FAST)).rejects.toThrow(/longer than 1024/);
    const hash = await hashPassword('a', FAST);
    expect(await verifyPassword('a'.repeat(1025), hash)).toBe(false);
  });

  it('spends on an unknown account the work of a real verification: one derivation at the same cost', async () => {
    const hash = await hashPassword('x');
    await dummyVerifyPassword('warm-up');
    derivations.length = 0;
    await verifyPassword('y', hash);
    const real = derivations.splice(0);
    expect(await dummyVerifyPassword('y')).toBe(false);
    const dummy = derivations.splice(0);
    expect(real).toEqual([{ ...DEFAULT_SCRYPT }]);
    expect(dummy).toEqual(real);
  });
});
