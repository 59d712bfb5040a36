// The one way the web writes a phone number: international format from its E.164 (`+33 6 12 34 56 78`),
// the same in lists, on record pages, in the call popup and on the calls page. Why international: a call
// centre's clients are in several countries, and a national form (06…) is ambiguous across them.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Formats a number for display: its E.164 in international groups when it has one (or `raw` is one),
 * else the text as the user wrote it. Never throws.
 */
export function formatPhone(e164OrRaw: string | null | undefined, raw = ''): string {
  const value = (e164OrRaw ?? '').trim();
  if (value.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(value);
    if (parsed) {
      return parsed.formatInternational();
    }
  }
  return value || raw.trim();
}
