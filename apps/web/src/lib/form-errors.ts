import { ApiError } from '../api/client.js';

/**
 * Maps the server's validation issues onto form field paths. Why: the server is the authority on validation, and
 * its message must appear under the field that caused it. `fields` are patterns where `*` is an array index;
 * `rename` adapts server paths (`phones.0.number` → `phones.0.raw`). Issues matching no field come back as `rest`
 * for a form-level alert, so no message is ever lost.
 */
export function mapServerErrors(
  error: unknown,
  fields: readonly string[],
  rename: (path: string) => string = (path) => path,
): { fieldErrors: Record<string, string>; rest: string[] } {
  const fieldErrors: Record<string, string> = {};
  const rest: string[] = [];
  if (!(error instanceof ApiError)) {
    return { fieldErrors, rest: error ? [error instanceof Error ? error.message : String(error)] : [] };
  }
  if (error.details.length === 0) {
    return { fieldErrors, rest: [error.message] };
  }
  const patterns = fields.map(
    (field) => new RegExp(`^${field.replace(/\./g, '\\.').replace(/\*/g, '\\d+')}$`),
  );
  for (const issue of error.details) {
    const path = rename(issue.path);
    if (patterns.some((pattern) => pattern.test(path))) {
      fieldErrors[path] ??= issue.message;
    } else {
      rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    }
  }
  return { fieldErrors, rest };
}
