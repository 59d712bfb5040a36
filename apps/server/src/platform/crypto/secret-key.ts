/**
 * Where the encryption key for secrets at rest comes from: `SECRET_KEY`, or in demo mode a key generated once
 * and kept under DATA_DIR so a restarted demo can still open what it sealed.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';

const DEMO_SECRET_KEY_FILE = 'secret-key.demo';

export const MISSING_SECRET_KEY_MESSAGE =
  'SECRET_KEY is required outside demo mode: it encrypts the Zadarma API secret at rest (AES-256-GCM). ' +
  'Generate one with `openssl rand -hex 32` and set SECRET_KEY=<64 hex characters> (keep it: without it the ' +
  'stored secret cannot be read).';

/**
 * Resolves the secret key for this start.
 * Why: a live server without a key must fail at boot, not when an admin first saves credentials.
 */
export async function resolveSecretKey(options: {
  readonly secretKey: string | null;
  readonly demo: boolean;
  readonly dataDir: string;
}): Promise<string> {
  if (options.secretKey) {
    return options.secretKey;
  }
  if (!options.demo) {
    throw new ConfigError(MISSING_SECRET_KEY_MESSAGE);
  }
  const file = join(options.dataDir, DEMO_SECRET_KEY_FILE);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  await mkdir(options.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  try {
    // 'wx': when two demo instances start together, the first key written wins and both use it.
    await writeFile(file, `${key}\n`, { flag: 'wx', mode: 0o600 });
    await chmod(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return (await readFile(file, 'utf8')).trim();
    }
    throw error;
  }
}
