/**
 * Phone number normalisation: any human or PBX form of a number → E.164, using the company's default country.
 * Pure functions (libphonenumber-js with full metadata), so the lookup, search and CSV import agree on one answer.
 */
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Numbers of at most this many digits are internal extensions (`100`, `1234`), never phone numbers. */
export const MAX_EXTENSION_DIGITS = 5;

/** Keeps the digits of a raw number (and nothing else). */
export function phoneDigits(raw: string): string {
  return raw.replace(/\D+/g, '');
}

function asCountry(defaultCountry: string): CountryCode | undefined {
  const upper = defaultCountry.toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

function validE164(candidate: string, country?: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(candidate, country ? { defaultCountry: country } : undefined);
  return parsed?.isValid() ? parsed.number : null;
}

function possibleE164(candidate: string, country?: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(candidate, country ? { defaultCountry: country } : undefined);
  return parsed?.isPossible() ? parsed.number : null;
}

/**
 * Reads one written form with a check: the valid-number check, or the looser length check.
 * Why the order: Zadarma sends international numbers as bare digits (`33612345678`), so `+digits` is tried
 * before the default country; `00…` is the international prefix; `+…` is explicit.
 */
function readWith(
  check: typeof validE164,
  trimmed: string,
  digits: string,
  country?: CountryCode,
): string | null {
  if (/^\s*\+/.test(trimmed)) {
    return check(`+${digits}`);
  }
  if (digits.startsWith('00')) {
    return check(`+${digits.slice(2)}`);
  }
  // A leading national trunk prefix (`0…` in FR/UK, `8…` in RU) means a national number; everything else
  // is first read as bare international digits, the way Zadarma sends caller ids.
  const international = digits.startsWith('0') ? null : check(`+${digits}`);
  if (international) {
    return international;
  }
  return country ? check(digits, country) : null;
}

/**
 * Normalises a raw number to E.164 (`+33612345678`), or null when it is an extension or not a phone number.
 * A number the numbering-plan metadata calls invalid but whose length fits its country (`+44 7700 900124`,
 * the UK's reserved drama range; a range assigned after the metadata was published) is kept as written:
 * users expect the number they typed, and the PBX, not the CRM, is the judge of what can be dialled.
 */
export function normalizePhone(raw: string, defaultCountry: string): string | null {
  const trimmed = raw.trim();
  const digits = phoneDigits(trimmed);
  if (digits.length <= MAX_EXTENSION_DIGITS || digits.length > 17) {
    return null;
  }
  const country = asCountry(defaultCountry);
  return readWith(validE164, trimmed, digits, country) ?? readWith(possibleE164, trimmed, digits, country);
}

/**
 * A number as people read it: E.164 in international groups (`+33 6 12 34 56 78`), the text as given otherwise.
 * Why here: text the server writes for people (a callback task's title) shows numbers as the web does everywhere.
 */
export function formatPhoneInternational(e164: string): string {
  const parsed = e164.startsWith('+') ? parsePhoneNumberFromString(e164) : undefined;
  return parsed ? parsed.formatInternational() : e164;
}

/** The digits a user might type when searching for this number: international (`336…`) and national (`6…`). */
export function phoneSearchTokens(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  const international = e164.replace(/^\+/, '');
  if (!parsed) {
    return [international];
  }
  const national = String(parsed.nationalNumber);
  return national === international ? [international] : [international, national];
}
