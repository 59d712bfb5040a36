/**
 * Form bodies as PHP reads them into `$_POST` / `$_GET`: `application/x-www-form-urlencoded` and
 * `multipart/form-data`, with bracket keys (`wait_dtmf[digits]`, `numbers[]`) folded into nested arrays.
 *
 * Both Zadarma's API (checking our signature) and our receiver (checking Zadarma's) work on these decoded
 * values, so decoding must not trim, normalise `+` or re-encode anything (docs/zadarma-protocol.md §5.8).
 */

/** A decoded PHP array: ordered, string keys (integer keys as their decimal text), string leaves. */
export type PhpArray = Map<string, PhpValue>;
export type PhpValue = string | PhpArray;

/** One decoded form field before folding: the raw key (with brackets) and its value. */
export interface FormField {
  readonly name: string;
  readonly value: string;
}

/** A file part of a multipart body: present in the request, never part of a signature (docs/zadarma-protocol.md §2.2). */
export interface FormFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/**
 * How much a form body may hold before it is refused. Every cost of decoding is linear in the body, and these
 * bound what a hostile body can make us build (maps, strings) whatever its size.
 */
export interface FormLimits {
  /** Most fields (urlencoded pairs or multipart parts). PHP's `max_input_vars` default is 1000. */
  readonly maxFields: number;
  /** Most bracket levels in a name (`a[b][c]` is 2). Zadarma's deepest is `wait_dtmf[digits]` (1). */
  readonly maxDepth: number;
  /** Longest field name, in characters after decoding. Zadarma's names are under 32. */
  readonly maxNameLength: number;
  /** Longest field value, in characters after decoding. */
  readonly maxValueLength: number;
}

/**
 * The limits applied when none are given. Why each:
 * - 1000 fields: PHP's own `max_input_vars`, so nothing PHP would read is refused; a notification has ~15.
 * - depth 8: PHP allows 64 (`max_input_nesting_level`), which lets 1000 fields build 64,000 nested arrays;
 *   Zadarma's deepest key has one level, so 8 leaves room for any sane form and bounds the work to 8 per field.
 * - names of 256: no Zadarma name comes close; a name is split into segments, so it must stay small.
 * - values of 1 MiB: a speech-recognition transcript (`result` JSON) can be hundreds of KB; a value costs
 *   linear time, so only memory is bounded here (a server adds its own body limit on top).
 */
export const DEFAULT_FORM_LIMITS: FormLimits = {
  maxFields: 1000,
  maxDepth: 8,
  maxNameLength: 256,
  maxValueLength: 1024 * 1024,
};

/** Why a body was refused by a limit: the reason codes a receiver reports (HTTP 400). */
export type FormLimitCode = 'too_many_fields' | 'too_deep' | 'name_too_long' | 'value_too_long';

/** Thrown for a body that cannot be read; the message says what was wrong. */
export class FormDecodeError extends Error {
  override readonly name: string = 'FormDecodeError';
}

/** Thrown when a body exceeds one of its `FormLimits`; `code` says which. */
export class FormLimitError extends FormDecodeError {
  override readonly name = 'FormLimitError';
  readonly code: FormLimitCode;
  constructor(code: FormLimitCode, message: string) {
    super(message);
    this.code = code;
  }
}

function limitsOf(limits: Partial<FormLimits> | undefined): FormLimits {
  return limits === undefined ? DEFAULT_FORM_LIMITS : { ...DEFAULT_FORM_LIMITS, ...limits };
}

function tooManyFields(limits: FormLimits): FormLimitError {
  return new FormLimitError('too_many_fields', `more than ${limits.maxFields} fields`);
}

function checkField(name: string, value: string, limits: FormLimits): void {
  if (name.length > limits.maxNameLength) {
    throw new FormLimitError(
      'name_too_long',
      `a field name is longer than ${limits.maxNameLength} characters`,
    );
  }
  if (value.length > limits.maxValueLength) {
    throw new FormLimitError(
      'value_too_long',
      `a field value is longer than ${limits.maxValueLength} characters`,
    );
  }
}

// What makes a component need the byte-level decoder below: an escape, or a character outside ASCII.
const NEEDS_BYTES = /[%\u0080-\uffff]/;

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) {
    return c - 0x30;
  }
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * The exact bytes a form component stands for: `+` is a space, `%XX` a byte (a malformed `%` sequence is kept
 * literally, as PHP's urldecode does), any other character its UTF-8 encoding.
 * Why: a `zd_echo` token must go back byte for byte even when it is not valid UTF-8 (docs/zadarma-protocol.md §5.2).
 */
export function decodeComponentBytes(text: string): Buffer {
  // At most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units), so this never overflows.
  const out = Buffer.allocUnsafe(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      out[n++] = 0x20;
    } else if (c === 0x25 && i + 2 < text.length) {
      const hi = hexDigit(text.charCodeAt(i + 1));
      const lo = hi < 0 ? -1 : hexDigit(text.charCodeAt(i + 2));
      if (lo < 0) {
        out[n++] = c;
      } else {
        out[n++] = hi * 16 + lo;
        i += 2;
      }
    } else if (c < 0x80) {
      out[n++] = c;
    } else {
      const cp = text.codePointAt(i) ?? c;
      n += out.write(String.fromCodePoint(cp), n, 'utf8');
      if (cp > 0xffff) {
        i++;
      }
    }
  }
  return out.subarray(0, n);
}

function decodeComponent(text: string): string {
  // Most names and values (digits, ids, dates) are plain ASCII: nothing to decode but `+`, and no bytes to
  // build. Measured: a third of a webhook's verification time went into the byte path.
  if (!NEEDS_BYTES.test(text)) {
    return text.includes('+') ? text.replaceAll('+', ' ') : text;
  }
  return decodeComponentBytes(text).toString('utf8');
}

/**
 * Splits an `application/x-www-form-urlencoded` body into its fields, in order, keys and values decoded.
 * Throws `FormLimitError` past `limits` (default `DEFAULT_FORM_LIMITS`).
 */
export function decodeUrlEncodedFields(body: string, limits?: Partial<FormLimits>): FormField[] {
  const bounds = limitsOf(limits);
  const fields: FormField[] = [];
  let start = 0;
  // A hand-rolled split: counting as it goes, a body of a million `&` is refused at the limit, not split first.
  while (start <= body.length) {
    let end = body.indexOf('&', start);
    if (end === -1) {
      end = body.length;
    }
    if (end > start) {
      if (fields.length >= bounds.maxFields) {
        throw tooManyFields(bounds);
      }
      // Searched within the pair only: a body without any `=` must not be rescanned to its end per field.
      const pair = body.slice(start, end);
      const eq = pair.indexOf('=');
      const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
      const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
      checkField(name, value, bounds);
      fields.push({ name, value });
    }
    start = end + 1;
  }
  return fields;
}

/**
 * The bytes of the last top-level field called `name` in a urlencoded string (a query or a body), or `null`
 * when there is none or it is an array (`name[]=…`, as PHP would read it). Only `name`'s value is decoded.
 * Throws `FormLimitError` past `limits.maxFields`.
 * Why: the `zd_echo` handshake needs one value, byte for byte, without decoding the rest (docs/zadarma-protocol.md §5.2).
 */
export function urlEncodedValueBytes(
  text: string,
  name: string,
  limits?: Partial<FormLimits>,
): Buffer | null {
  const bounds = limitsOf(limits);
  let found: Buffer | null = null;
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) {
      end = text.length;
    }
    if (end > start) {
      count++;
      if (count > bounds.maxFields) {
        throw tooManyFields(bounds);
      }
      const pair = text.slice(start, end);
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      if (rawName.length <= bounds.maxNameLength * 3) {
        const key = decodeComponent(rawName);
        if (key === name) {
          found = eq === -1 ? Buffer.alloc(0) : decodeComponentBytes(pair.slice(eq + 1));
        } else if (key.startsWith(`${name}[`) && key.includes(']')) {
          found = null;
        }
      }
    }
    start = end + 1;
  }
  return found;
}

/** Splits `a[b][]` into `['a', 'b', '']`; a name without a well-formed bracket part is one segment. */
function keySegments(name: string, limits: FormLimits): string[] {
  const open = name.indexOf('[');
  if (open <= 0) {
    return [name];
  }
  const segments = [name.slice(0, open)];
  let at = open;
  while (at < name.length && name.charCodeAt(at) === 0x5b) {
    const close = name.indexOf(']', at);
    if (close === -1) {
      break;
    }
    if (segments.length > limits.maxDepth) {
      throw new FormLimitError('too_deep', `a field name nests deeper than ${limits.maxDepth} levels`);
    }
    segments.push(name.slice(at + 1, close));
    at = close + 1;
  }
  return segments;
}

const INTEGER_KEY = /^(0|[1-9][0-9]*)$/;

/**
 * Folds fields into a PHP array the way `parse_str` / `$_POST` does: a repeated key keeps its first
 * position and its last value; `[]` appends (at the largest integer key + 1, kept per array so each append
 * costs O(1)); `a[x]` nests. Throws `FormLimitError` past `limits`.
 */
export function foldFields(fields: readonly FormField[], limits?: Partial<FormLimits>): PhpArray {
  const bounds = limitsOf(limits);
  if (fields.length > bounds.maxFields) {
    throw tooManyFields(bounds);
  }
  const root: PhpArray = new Map();
  // The next `[]` index of each array (PHP's nNextFreeElement), so an append never scans the keys.
  const nextIndex = new Map<PhpArray, number>();
  const place = (target: PhpArray, raw: string, append: boolean): string => {
    if (append) {
      const index = nextIndex.get(target) ?? 0;
      nextIndex.set(target, index + 1);
      return String(index);
    }
    if (INTEGER_KEY.test(raw)) {
      const following = Number(raw) + 1;
      if (following > (nextIndex.get(target) ?? 0)) {
        nextIndex.set(target, following);
      }
    }
    return raw;
  };
  for (const { name, value } of fields) {
    checkField(name, value, bounds);
    const segments = keySegments(name, bounds);
    let target = root;
    for (let i = 0; i < segments.length; i++) {
      const raw = segments[i] as string;
      const key = place(target, raw, raw === '' && i > 0);
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

/** Decodes an `application/x-www-form-urlencoded` body into a PHP array (throws past `limits`). */
export function decodeUrlEncoded(body: string, limits?: Partial<FormLimits>): PhpArray {
  return foldFields(decodeUrlEncodedFields(body, limits), limits);
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

interface RawPart {
  readonly name: string;
  readonly filename: string | undefined;
  readonly headers: string;
  readonly data: Buffer;
}

/**
 * Walks the parts of a multipart body, in order. A third-party integration describes Zadarma's multipart bodies
 * with a delimiter that differs from the header's boundary by an extra `--` (unconfirmed: the official PHP library
 * reads only standard bodies, docs/zadarma-protocol.md §5.3); to accept both, the delimiter actually used is taken
 * from the body's first line when it contains the declared boundary. Each part is found by one forward
 * search, so the walk is linear; it stops with `too_many_fields` past `limits.maxFields` parts.
 */
function readParts(
  body: Buffer,
  contentType: string,
  limits: FormLimits,
  visit: (part: RawPart) => void,
): void {
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
  let parts = 0;
  let cursor = start + delimiter.length;
  while (cursor < text.length) {
    if (text.startsWith('--', cursor)) {
      return;
    }
    const headerStart = text.indexOf('\r\n', cursor);
    if (headerStart === -1) {
      break;
    }
    parts++;
    if (parts > limits.maxFields) {
      throw new FormLimitError('too_many_fields', `more than ${limits.maxFields} multipart parts`);
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
    const disposition = /content-disposition:\s*form-data(.*)/i.exec(headers)?.[1] ?? '';
    const name = /;\s*name="((?:[^"\\]|\\.)*)"/i.exec(disposition)?.[1];
    if (name === undefined) {
      throw new FormDecodeError('multipart part without a form-data name');
    }
    const filename = /;\s*filename="((?:[^"\\]|\\.)*)"/i.exec(disposition)?.[1];
    visit({
      name: Buffer.from(name, 'latin1').toString('utf8'),
      filename,
      headers,
      data: body.subarray(headerEnd + 4, next),
    });
    cursor = next + 2 + delimiter.length;
  }
  throw new FormDecodeError('multipart body is not terminated by its closing boundary');
}

/**
 * Parses a `multipart/form-data` body into its fields and files (see `readParts` for Zadarma's delimiter
 * quirk). Throws `FormDecodeError` for a broken body and `FormLimitError` past `limits`.
 */
export function decodeMultipart(
  body: Buffer,
  contentType: string,
  limits?: Partial<FormLimits>,
): MultipartBody {
  const bounds = limitsOf(limits);
  const fields: FormField[] = [];
  const files: FormFile[] = [];
  readParts(body, contentType, bounds, (part) => {
    if (part.filename !== undefined) {
      const type =
        /content-type:\s*([^\r\n]+)/i.exec(part.headers)?.[1]?.trim() ?? 'application/octet-stream';
      files.push({
        name: part.name,
        filename: Buffer.from(part.filename, 'latin1').toString('utf8'),
        contentType: type,
        data: Buffer.from(part.data),
      });
    } else {
      const value = part.data.toString('utf8');
      checkField(part.name, value, bounds);
      fields.push({ name: part.name, value });
    }
  });
  return { fields, files };
}

/**
 * The bytes of the last non-file part called `name` in a multipart body, or `null`. Throws like
 * `decodeMultipart`. Why: a `zd_echo` token goes back byte for byte, even when it is not UTF-8 (§5.2).
 */
export function multipartValueBytes(
  body: Buffer,
  contentType: string,
  name: string,
  limits?: Partial<FormLimits>,
): Buffer | null {
  let found: Buffer | null = null;
  readParts(body, contentType, limitsOf(limits), (part) => {
    if (part.filename === undefined && part.name === name) {
      found = part.data;
    }
  });
  return found;
}

/** Converts a PHP array to a plain object (nested arrays become objects keyed like PHP's). */
export function phpArrayToObject(array: PhpArray): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of array) {
    const converted = value instanceof Map ? phpArrayToObject(value) : value;
    if (key === '__proto__') {
      // An own property, never the object's prototype: `__proto__[event]=…` must not become an inherited field.
      Object.defineProperty(out, key, {
        value: converted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = converted;
    }
  }
  return out;
}
