/**
 * Phone number normalisation: any human or PBX form of a number → E.164, using the company's default country.
 * Pure functions (libphonenumber-js with full metadata), so the lookup, search and CSV import agree on one answer.
 */
import {
  type CountryCode,
  isSupportedCountry,
  type PhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';

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

/**
 * The readings of one written number, in the order they are tried. Why the order: Zadarma sends international
 * numbers as bare digits (`33612345678`), so `+digits` is tried before the default country; `00…` is the
 * international prefix; `+…` is explicit. A leading national trunk prefix (`0…` in FR/UK, `8…` in RU) means a
 * national number; everything else is first read as bare international digits, the way Zadarma sends caller ids.
 */
function readings(trimmed: string, digits: string, country?: CountryCode): [string, CountryCode?][] {
  if (/^\s*\+/.test(trimmed)) {
    return [[`+${digits}`]];
  }
  if (digits.startsWith('00')) {
    return [[`+${digits.slice(2)}`]];
  }
  const found: [string, CountryCode?][] = digits.startsWith('0') ? [] : [[`+${digits}`]];
  if (country) {
    found.push([digits, country]);
  }
  return found;
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
  // A valid reading wins over a merely possible one; each reading is parsed once, and only until one is valid.
  // Why: parsing against the numbering plan is most of the cost, and a number with no valid reading (a new
  // caller's unusual number) was parsed again for the possible check.
  const parsed: (PhoneNumber | undefined)[] = [];
  for (const [candidate, country] of readings(trimmed, digits, asCountry(defaultCountry))) {
    const reading = parsePhoneNumberFromString(candidate, country ? { defaultCountry: country } : undefined);
    if (reading?.isValid()) {
      return reading.number;
    }
    parsed.push(reading);
  }
  return parsed.find((reading) => reading?.isPossible())?.number ?? null;
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
