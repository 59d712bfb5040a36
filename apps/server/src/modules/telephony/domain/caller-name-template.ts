/**
 * The client's name on the ringing phone (issue 12 §8): `caller_name` rendered from a template an admin writes
 * (`{vip} {company} — {contact}`), short and safe for SIP displays — control characters and quotes removed, a
 * length limit, and optionally plain Latin for phones without Cyrillic. Pure.
 */
import { transliterate } from './transliterate.js';

/** Fields a known caller's template may name. */
export const CALLER_NAME_FIELDS = [
  'contact',
  'company',
  'dealStage',
  'vip',
  'responsible',
  'number',
] as const;
/** Fields the labels of unknown numbers may name. */
export const UNKNOWN_LABEL_FIELDS = ['number', 'missed'] as const;

/** How the name is built and shown (the settings of §8). */
export interface CallerNameFormat {
  /** For known callers, e.g. `{vip} {company} — {contact}`. */
  readonly template: string;
  readonly maxLength: number;
  readonly transliterate: boolean;
  /** For unknown numbers, e.g. `New client`; '' sends no name. */
  readonly unknownLabel: string;
  /** For unknown numbers we missed today, e.g. `Missed you {missed}× today`; '' falls back to `unknownLabel`. */
  readonly missedLabel: string;
  /** `{vip}` shows for an open deal worth at least this; null: never. */
  readonly vipAmount: number | null;
}

/** What `{vip}` renders. */
export const VIP_MARK = 'VIP';

const FIELD = /\{([^{}]*)\}/g;

/**
 * One problem of a template: `message` in English (logs, API clients), `reason` and `params` for the web to say
 * it in the reader's language (the field reasons of crm/shared/validation.ts).
 */
export interface TemplateProblem {
  readonly message: string;
  readonly reason: 'template_field_unknown' | 'template_brace_open';
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * The problems of a template: each field it names that is not in `allowed`, and unmatched braces.
 * Why: a template naming `{compnay}` is refused when saved, with the field named, never rendered half-empty.
 */
export function templateProblems(template: string, allowed: readonly string[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const known = allowed.map((f) => `{${f}}`).join(', ');
  for (const match of template.matchAll(FIELD)) {
    const name = (match[1] ?? '').trim();
    if (!allowed.includes(name)) {
      problems.push({
        message: `unknown field {${name}} (known: ${known})`,
        reason: 'template_field_unknown',
        params: { field: `{${name}}`, known },
      });
    }
  }
  if (/[{}]/.test(template.replace(FIELD, ''))) {
    problems.push({ message: 'a brace is not closed', reason: 'template_brace_open' });
  }
  return problems;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

function clean(text: string): string {
  // A SIP display name is a quoted string: drop control characters, quotes and backslashes (RFC 3261 §25.1).
  return text
    .replace(/[\p{Cc}\p{Cf}"\\{}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const SEPARATORS = '\\s\\-—–|,:;/·•';
const EDGE_SEPARATORS = new RegExp(`^[${SEPARATORS}]+|[${SEPARATORS}]+$`, 'g');
// Two separators in a row are what an empty field leaves between them (`ACME —  — Jean`): keep the first.
const REPEATED_SEPARATORS = /(\s*[-—–|,:;/·•])(?:\s*[-—–|,:;/·•])+/g;

function truncate(text: string, max: number, ellipsis: string): string {
  const parts = graphemes(text);
  if (parts.length <= max) {
    return text;
  }
  return `${parts
    .slice(0, Math.max(1, max - ellipsis.length))
    .join('')
    .trimEnd()}${ellipsis}`;
}

/**
 * Renders a template with `values` (a missing or empty value leaves no dangling separator), cleaned for SIP,
 * transliterated when asked and cut to `maxLength` characters (never inside a character). '' when nothing is left.
 */
export function renderCallerName(
  template: string,
  values: Readonly<Record<string, string | null | undefined>>,
  format: Pick<CallerNameFormat, 'maxLength' | 'transliterate'>,
): string {
  const filled = template.replace(FIELD, (_, name: string) => clean(values[name.trim()] ?? ''));
  let text = clean(filled).replace(REPEATED_SEPARATORS, '$1').replace(EDGE_SEPARATORS, '').trim();
  if (format.transliterate) {
    text = clean(transliterate(text));
  }
  return truncate(text, format.maxLength, format.transliterate ? '.' : '…');
}
