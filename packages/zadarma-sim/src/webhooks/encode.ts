/**
 * Notification bodies as Zadarma posts them (docs/zadarma-protocol.md §5.3): form fields in the order observed in real
 * traffic, urlencoded PHP-style or multipart. Multipart is standard (delimiter `--` + the Content-Type's
 * boundary) unless the boundary quirk is asked for: a delimiter with an extra `--`, as one integration's
 * comment describes. PHP reads none of the quirk bodies into `$_POST` (docs/zadarma-protocol.md §5.3), so receivers
 * should accept it but a faithful sender does not produce it by default.
 */
import { randomBytes } from 'node:crypto';
import { phpUrlEncode } from '@switchboard/zadarma';

/** Ordered `[name, value]` pairs; nested values use PHP bracket names such as `wait_dtmf[digits]`. */
export type FieldList = readonly (readonly [string, string])[];

export type WebhookFormat = 'urlencoded' | 'multipart';

export interface EncodedBody {
  readonly contentType: string;
  readonly body: Buffer;
}

/** Encodes fields as `application/x-www-form-urlencoded` exactly as PHP would (`+` for space, `%XX` upper). */
export function encodeUrlEncoded(fields: FieldList): EncodedBody {
  const text = fields.map(([k, v]) => `${phpUrlEncode(k)}=${phpUrlEncode(v)}`).join('&');
  return { contentType: 'application/x-www-form-urlencoded', body: Buffer.from(text, 'utf8') };
}

/**
 * Encodes fields as `multipart/form-data`: standard when `quirk` is false, with the delimiter `----boundary`
 * when true. Why: the quirk exists only to test that receivers tolerate it (docs/zadarma-protocol.md §5.3).
 */
export function encodeMultipart(
  fields: FieldList,
  quirk: boolean,
  boundary = randomBytes(12).toString('hex'),
): EncodedBody {
  const delimiter = quirk ? `----${boundary}` : `--${boundary}`;
  const parts: string[] = [];
  for (const [name, value] of fields) {
    parts.push(
      `${delimiter}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, '%22')}"\r\n\r\n${value}\r\n`,
    );
  }
  const text = `${parts.join('')}${delimiter}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(text, 'utf8') };
}

/** The top-level fields as an object (insertion order kept), the shape signature helpers take. */
export function fieldsObject(fields: FieldList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of fields) {
    out[k] = v;
  }
  return out;
}
