/**
 * Encryption of secrets at rest (the Zadarma API secret in `telephony_settings`): AES-256-GCM with a random
 * 96-bit IV per value, so a database dump alone reveals nothing and any change to the stored text is detected.
 * Text format: `v1:<iv base64url>:<tag base64url>:<ciphertext base64url>`; the version prefix lets a later
 * format or key rotation coexist with rows written today.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ErrorCode } from '../errors/errors.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  /** Catalogue code: a sealed value that does not open (a wrong SECRET_KEY) needs the operator, not the user. */
  readonly code: ErrorCode = 'SB_ERR_UNAVAILABLE';
}

export interface SecretBox {
  /** Encrypts UTF-8 text into the versioned `v1:` format; a fresh IV each call. */
  seal(plaintext: string): string;
  /** Decrypts a value produced by `seal`; throws SecretBoxError for a wrong key, tampering or a bad format. */
  open(sealed: string): string;
}

/**
 * Parses a 32-byte key given as 64 hex characters or base64/base64url (44/43 characters).
 * Why: the key comes from an env value read by the composition root; a short or malformed key must fail at boot.
 */
export function parseSecretKey(value: string): Buffer {
  const text = value.trim();
  let key: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    key = Buffer.from(text, 'hex');
  } else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)) {
    key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  if (!key || key.length !== KEY_BYTES) {
    throw new SecretBoxError(
      `secret key must be 32 bytes given as 64 hex characters or base64 (got ${text.length} characters)`,
    );
  }
  return key;
}

/**
 * Builds a SecretBox from a 32-byte key (Buffer, or the hex/base64 text of one).
 * Why: one object the settings repository receives, so it never sees the key's origin (env, file, KMS).
 */
export function createSecretBox(keyInput: Buffer | string): SecretBox {
  const key = typeof keyInput === 'string' ? parseSecretKey(keyInput) : Buffer.from(keyInput);
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(`secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, ciphertext]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    open(sealed) {
      const parts = sealed.split(':');
      if (parts[0] !== VERSION) {
        throw new SecretBoxError(`sealed secret has unknown format (expected prefix "${VERSION}:")`);
      }
      if (parts.length !== 4) {
        throw new SecretBoxError(
          `sealed secret is malformed: expected 4 ":"-separated parts, got ${parts.length}`,
        );
      }
      const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [
        Buffer,
        Buffer,
        Buffer,
      ];
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new SecretBoxError('sealed secret is malformed: IV must be 12 bytes and the tag 16 bytes');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed secret failed authentication: wrong key or tampered data');
      }
    },
  };
}
