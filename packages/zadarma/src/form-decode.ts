/**
 * Form bodies as PHP reads them into `$_POST` / `$_GET`: `application/x-www-form-urlencoded` and
 * `multipart/form-data`, with bracket keys (`wait_dtmf[digits]`, `numbers[]`) folded into nested arrays.
 *
 * Both Zadarma's API (checking our signature) and our receiver (checking Zadarma's) work on these decoded
 * values, so decoding must not trim, normalise `+` or re-encode anything (PROTOCOL.md §5.8).
 */

/** A decoded PHP array: ordered, string keys (integer keys as their decimal text), string leaves. */
export type PhpArray = Map<string, PhpValue>;
export type PhpValue = string | PhpArray;

/** One decoded form field before folding: the raw key (with brackets) and its value. */
export interface FormField {
  readonly name: string;
  readonly value: string;
}

/** A file part of a multipart body: present in the request, never part of a signature (PROTOCOL.md §2.2). */
export interface FormFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

// What makes a component need the byte-level decoder below: an escape, or a character outside ASCII.
const NEEDS_BYTES = /[%\u0080-\uffff]/;

function decodeComponent(text: string): string {
  // Most names and values (digits, ids, dates) are plain ASCII: nothing to decode but `+`, and no bytes to
  // build. Measured: a third of a webhook's verification time went into the byte path below.
  if (!NEEDS_BYTES.test(text)) {
    return text.includes('+') ? text.replaceAll('+', ' ') : text;
  }
  // `+` is a space in form encoding; `%XX` are UTF-8 bytes. A malformed `%` sequence is kept literally,
  // as PHP's urldecode does.
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      bytes.push(0x20);
    } else if (c === 0x25 && i + 2 < text.length && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      const cp = text.codePointAt(i) ?? c;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) {
        bytes.push(b);
      }
      if (cp > 0xffff) {
        i++;
      }
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits an `application/x-www-form-urlencoded` body into its fields, in order, keys and values decoded. */
export function decodeUrlEncodedFields(body: string): FormField[] {
  const fields: FormField[] = [];
  for (const pair of body.split('&')) {
    if (pair === '') {
      continue;
    }
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    fields.push({ name, value });
  }
  return fields;
}

/** Splits `a[b][]` into `['a', 'b', '']`; a name without a well-formed bracket part is one segment. */
function keySegments(name: string): string[] {
  const open = name.indexOf('[');
  if (open <= 0) {
    return [name];
  }
  const segments = [name.slice(0, open)];
  let rest = name.slice(open);
  while (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) {
      break;
    }
    segments.push(rest.slice(1, close));
    rest = rest.slice(close + 1);
  }
  return segments;
}

function nextIndex(array: PhpArray): string {
  let next = 0;
  for (const key of array.keys()) {
    if (/^(0|[1-9][0-9]*)$/.test(key)) {
      next = Math.max(next, Number(key) + 1);
    }
  }
  return String(next);
}

/**
 * Folds fields into a PHP array the way `parse_str` / `$_POST` does: a repeated key keeps its first
 * position and its last value; `[]` appends; `a[x]` nests.
 */
export function foldFields(fields: readonly FormField[]): PhpArray {
  const root: PhpArray = new Map();
  for (const { name, value } of fields) {
    const segments = keySegments(name);
    let target = root;
    for (let i = 0; i < segments.length; i++) {
      const raw = segments[i] as string;
      const key = raw === '' && i > 0 ? nextIndex(target) : raw;
      if (i === segments.length - 1) {
        target.set(key, value);
        break;
      }
      let child = target.get(key);
      if (!(child instanceof Map)) {
        child = new Map();
        target.set(key, child);
      }
      target = child;
    }
  }
  return root;
}

/** Decodes an `application/x-www-form-urlencoded` body into a PHP array. */
export function decodeUrlEncoded(body: string): PhpArray {
  return foldFields(decodeUrlEncodedFields(body));
}

/** Reads the `boundary` parameter of a `multipart/form-data` content type, or `null`. */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? ((match[1] ?? match[2]) as string) : null;
}

export interface MultipartBody {
  readonly fields: FormField[];
  readonly files: FormFile[];
}

/** Thrown for a body that cannot be read; the message says what was wrong. */
export class FormDecodeError extends Error {
  override readonly name = 'FormDecodeError';
}

/**
 * Parses a `multipart/form-data` body. Zadarma's webhook bodies have been seen with a delimiter that
 * differs from the header's boundary by an extra `--` (PROTOCOL.md §5.3); the delimiter actually used is
 * taken from the body's first line when it contains the declared boundary.
 */
export function decodeMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = multipartBoundary(contentType);
  if (!boundary) {
    throw new FormDecodeError('multipart body without a boundary in its Content-Type');
  }
  const text = body.toString('latin1');
  const firstLineEnd = text.indexOf('\r\n');
  const firstLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
  const delimiter =
    firstLine.startsWith('--') && firstLine.trimEnd().endsWith(boundary)
      ? firstLine.trimEnd()
      : `--${boundary}`;
  const start = text.indexOf(delimiter);
  if (start === -1) {
    throw new FormDecodeError('multipart body does not contain its boundary');
  }
  const fields: FormField[] = [];
  const files: FormFile[] = [];
  let cursor = start + delimiter.length;
  while (cursor < text.length) {
    if (text.startsWith('--', cursor)) {
      return { fields, files };
    }
    const headerStart = text.indexOf('\r\n', cursor);
    if (headerStart === -1) {
      break;
    }
    const headerEnd = text.indexOf('\r\n\r\n', headerStart);
    if (headerEnd === -1) {
      throw new FormDecodeError('multipart part without a blank line after its headers');
    }
    const next = text.indexOf(`\r\n${delimiter}`, headerEnd + 4);
    if (next === -1) {
      throw new FormDecodeError('multipart part is not closed by the boundary');
    }
    const headers = text.slice(headerStart + 2, headerEnd);
    const data = body.subarray(headerEnd + 4, next);
    const disposition = /content-disposition:\s*form-data(.*)/i.exec(headers)?.[1] ?? '';
    const name = /;\s*name="((?:[^"\\]|\\.)*)"/i.exec(disposition)?.[1];
    if (name === undefined) {
      throw new FormDecodeError('multipart part without a form-data name');
    }
    const fieldName = Buffer.from(name, 'latin1').toString('utf8');
    const filename = /;\s*filename="((?:[^"\\]|\\.)*)"/i.exec(disposition)?.[1];
    if (filename !== undefined) {
      const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
      files.push({
        name: fieldName,
        filename: Buffer.from(filename, 'latin1').toString('utf8'),
        contentType: type,
        data: Buffer.from(data),
      });
    } else {
      fields.push({ name: fieldName, value: data.toString('utf8') });
    }
    cursor = next + 2 + delimiter.length;
  }
  throw new FormDecodeError('multipart body is not terminated by its closing boundary');
}

/** Converts a PHP array to a plain object (nested arrays become objects keyed like PHP's). */
export function phpArrayToObject(array: PhpArray): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of array) {
    out[key] = value instanceof Map ? phpArrayToObject(value) : value;
  }
  return out;
}
