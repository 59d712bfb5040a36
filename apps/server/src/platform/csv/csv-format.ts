/**
 * CSV reading and writing (RFC 4180): quoted fields with doubled quotes and line breaks, a UTF-8 BOM,
 * `;` or `,` (or tab) delimiters detected from the header line — French and Russian spreadsheets save `;`.
 * Writing neutralises formula injection (OWASP): a cell starting with = + - @ (or tab/CR) gets a `'` prefix.
 */

import type { ErrorCode } from '../errors/errors.js';

export type Delimiter = ',' | ';' | '\t';

/** Picks the delimiter that splits the first line (outside quotes) into the most fields. */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuotes = !inQuotes;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      break;
    } else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) {
      counts[ch] += 1;
    }
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) {
    return ';';
  }
  return counts['\t'] > counts[','] ? '\t' : ',';
}

/** Thrown for CSV that cannot be read (an unterminated quote), with the line where it starts. */
export class CsvParseError extends Error {
  override readonly name = 'CsvParseError';
  readonly code: ErrorCode = 'SB_ERR_VALIDATION';
}

/**
 * Parses CSV text into rows of fields. Why: imports must accept what Excel, LibreOffice and Google Sheets
 * write, in any of the three locales. Blank lines are skipped.
 */
export function parseCsv(
  input: string,
  delimiter: Delimiter = detectDelimiter(input.replace(/^\uFEFF/, '')),
): string[][] {
  return [...csvRows(input, delimiter)];
}

/**
 * The rows of CSV text one at a time, as `parseCsv` reads them (CsvParseError at the end for an unterminated
 * quote). Why: a caller can give the event loop a turn between rows of a large file (time-slices.ts).
 */
export function* csvRows(
  input: string,
  delimiter: Delimiter = detectDelimiter(input.replace(/^\uFEFF/, '')),
): Generator<string[], void, undefined> {
  const text = input.replace(/^\uFEFF/, '');
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteLine = 0;
  let line = 1;
  let i = 0;
  /** The row just ended, or null for a blank line. */
  const endRow = (): string[] | null => {
    row.push(field);
    field = '';
    const ended = row.length === 1 && row[0] === '' ? null : row;
    row = [];
    return ended;
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        if (ch === '\n') {
          line += 1;
        }
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      const ended = endRow();
      line += 1;
      if (ch === '\r' && text[i + 1] === '\n') {
        i += 1;
      }
      if (ended) {
        i += 1;
        yield ended;
        continue;
      }
    } else {
      field += ch;
    }
    i += 1;
  }
  if (inQuotes) {
    throw new CsvParseError(`unterminated quoted field starting on line ${quoteLine}`);
  }
  if (field !== '' || row.length > 0) {
    const ended = endRow();
    if (ended) {
      yield ended;
    }
  }
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: quoted when needed, formula-like text prefixed with `'`. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) {
    text = `'${text}`;
  }
  return /[",;\r\n\t]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says). */
export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Undoes the export's formula protection on import (`'+33…` → `+33…`). */
export function unprotectCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
