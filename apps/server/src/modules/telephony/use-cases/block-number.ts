/**
 * Adds a number or a prefix to the blacklist (issue 12 §10): its calls are refused with busy or hung up
 * (docs/zadarma-protocol.md §6.2). Refuses what would be silently wrong or harmful: something that is no phone
 * number, an extension, a prefix too short to mean anything, an expiry in the past, and any entry that would
 * block one of our own numbers. Agents block numbers (from a popup, the call log, a contact); prefixes are
 * admins' work.
 */
import { type Actor, actorUserId, isAdmin, refuseApiClient } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import { normalizePhone } from '../../crm/phones/normalize-phone.js';
import { isExtensionNumber } from '../domain/call-event.js';
import type { BlacklistEntry, BlacklistRepository } from '../ports.js';

/** A prefix names at least this many digits (country code and more): `+7` alone would block a country. */
const MIN_PREFIX_DIGITS = 3;

export interface BlockNumberOptions {
  readonly blacklist: Pick<BlacklistRepository, 'add'>;
  /** The company's default country (ISO 3166 alpha-2): how a national number is read. */
  readonly defaultCountry: () => Promise<string>;
  /** Our own numbers (E.164): the PBX's direct numbers. */
  readonly ownNumbers: () => Promise<readonly string[]>;
  readonly actor: Actor;
  /** The number as typed, or the prefix's digits (`+7 800`). */
  readonly number: string;
  readonly isPrefix?: boolean;
  readonly reason: string;
  /** ISO instant after which the entry blocks nothing; null or absent: never expires. */
  readonly expiresAt?: string | null;
  /** ISO. */
  readonly now: string;
}

/** Why an entry is refused: the CRM's field reasons (`FieldReason`, crm/shared/validation.ts, lists ours too). */
type BlockRefusal =
  | 'number_extension'
  | 'number_own'
  | 'prefix_invalid'
  | 'prefix_length'
  | 'prefix_national'
  | 'expiry_past'
  | 'phone_invalid'
  | 'invalid_format';

/** Refuses one field; `reason` and `params` let the web say it in the user's language (the popup's block dialog). */
function refuse(
  path: string,
  message: string,
  reason: BlockRefusal,
  params?: Readonly<Record<string, string | number>>,
): never {
  throw new AppError('SB_ERR_VALIDATION', `${path}: ${message}`, [
    { path, message, reason, ...(params ? { params } : {}) },
  ]);
}

/** The E.164 key of the entry: a normalised number, or `+` and the prefix's digits. */
async function keyOf(options: BlockNumberOptions): Promise<string> {
  const typed = options.number.trim();
  if (isExtensionNumber(typed.replace(/[\s-]/g, ''))) {
    refuse('number', `"${typed}" is an extension of our PBX and can never be blocked`, 'number_extension', {
      number: typed,
    });
  }
  if (options.isPrefix) {
    if (!/^\+?[\d\s().-]+$/.test(typed)) {
      refuse(
        'number',
        `"${typed}" is not a prefix: digits only, in international form (+7 800)`,
        'prefix_invalid',
      );
    }
    const digits = typed.replace(/\D/g, '');
    if (digits.length < MIN_PREFIX_DIGITS || digits.length > 14) {
      refuse(
        'number',
        `a prefix has ${MIN_PREFIX_DIGITS} to 14 digits, in international form (+7 800)`,
        'prefix_length',
        { minimum: MIN_PREFIX_DIGITS },
      );
    }
    if (digits.startsWith('0')) {
      refuse(
        'number',
        'a prefix is in international form, without a leading 0 (+33 6, not 06)',
        'prefix_national',
      );
    }
    return `+${digits}`;
  }
  const country = await options.defaultCountry();
  const e164 = normalizePhone(typed, country);
  if (!e164) {
    refuse('number', `"${typed}" is not a valid phone number`, 'phone_invalid', { country });
  }
  return e164;
}

/**
 * Normalises and lists the entry (a listed number is returned as it was).
 * Why E.164 keys: the NOTIFY_START check is one read of the caller's prefixes on the unique index.
 */
export async function blockNumber(options: BlockNumberOptions): Promise<BlacklistEntry> {
  refuseApiClient(options.actor, 'block a number');
  if (options.isPrefix && !isAdmin(options.actor) && options.actor.kind === 'user') {
    throw new AppError('SB_ERR_FORBIDDEN', 'only an admin blocks a whole prefix');
  }
  const key = await keyOf(options);
  if (options.expiresAt) {
    const expires = Date.parse(options.expiresAt);
    if (Number.isNaN(expires)) {
      refuse('expiresAt', 'must be an ISO-8601 date-time', 'invalid_format');
    }
    if (expires <= Date.parse(options.now)) {
      refuse('expiresAt', 'is in the past: an entry that expired already would block nothing', 'expiry_past');
    }
  }
  const own = (await options.ownNumbers()).find((n) => (options.isPrefix ? n.startsWith(key) : n === key));
  if (own) {
    refuse('number', `${own} is one of our own numbers and can never be blocked`, 'number_own', {
      number: own,
    });
  }
  return options.blacklist.add(
    {
      e164: key,
      reason: options.reason,
      createdBy: actorUserId(options.actor),
      isPrefix: options.isPrefix ?? false,
      expiresAt: options.expiresAt ? new Date(options.expiresAt).toISOString() : null,
    },
    options.now,
  );
}
