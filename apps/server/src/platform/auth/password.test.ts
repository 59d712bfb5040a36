import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, dummyVerifyPassword, hashPassword, verifyPassword } from './password.js';

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

  it('spends about as long on an unknown account as on a real verification', async () => {
    const hash = await hashPassword('x');
    await dummyVerifyPassword('warm-up');
    const t0 = performance.now();
    await verifyPassword('y', hash);
    const real = performance.now() - t0;
    const t1 = performance.now();
    expect(await dummyVerifyPassword('y')).toBe(false);
    const dummy = performance.now() - t1;
    expect(dummy).toBeGreaterThan(real * 0.5);
  });
});
