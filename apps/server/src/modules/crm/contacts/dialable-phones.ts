/**
 * A contact's numbers must be numbers a phone system can dial: one that cannot be read as E.164 with the
 * company's default country is refused, naming the field, instead of being stored beside a call button that
 * would fail. Numbers stored before this rule (e164 null) are kept as they are and shown as not dialable.
 */
import { normalizePhone } from '../phones/normalize-phone.js';
import { invalidField } from '../shared/validation.js';

/** Throws SB_ERR_VALIDATION (`phones.N.raw`, reason `phone_invalid`) for the first number that is not one. */
export function requireDialablePhones(
  phones: readonly { raw: string }[],
  defaultCountry: string,
  alreadyStored: ReadonlySet<string> = new Set(),
): void {
  phones.forEach((phone, index) => {
    if (!alreadyStored.has(phone.raw) && normalizePhone(phone.raw, defaultCountry) === null) {
      invalidField(
        `phones.${index}.raw`,
        `"${phone.raw}" is not a phone number (with the default country ${defaultCountry})`,
        'phone_invalid',
        { country: defaultCountry },
      );
    }
  });
}
