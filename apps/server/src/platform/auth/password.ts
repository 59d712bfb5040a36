/**
 * Password hashing with node:crypto scrypt: a random per-user salt and explicit cost parameters stored in
 * the hash (`scrypt$N$r$p$salt$hash`, base64), so the cost can be raised later without breaking old hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * OWASP's scrypt configuration N=2^15, r=8, p=3 (32 MiB): ~200 ms per hash on the 2-core reference machine,
 * CPU-equivalent to N=2^17/p=1 with a quarter of the memory.
 */
export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 15, r: 8, p: 3 });

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Longer inputs are refused before hashing so a huge password cannot be used to burn CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128·N·r bytes (plus slack) or OpenSSL refuses the parameters.
    const maxmem = 256 * params.N * params.r;
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password for storage. Why: the users table never holds a password, only this. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new Error(`password longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    return null;
  }
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) {
    return null;
  }
  return {
    params: { N, r, p },
    salt: Buffer.from(parts[4] as string, 'base64'),
    key: Buffer.from(parts[5] as string, 'base64'),
  };
}

/** Checks a password against a stored hash in constant time. Why: sign-in and password changes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) {
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same time as a real verification and always fails. Why: an unknown email must not answer
 * faster than a wrong password, or response times would reveal which accounts exist.
 */
export async function dummyVerifyPassword(password: string): Promise<false> {
  // Computed on first use, not at boot, to keep cold start fast.
  dummyHash ??= hashPassword('not-a-real-password');
  await verifyPassword(password, await dummyHash);
  return false;
}
