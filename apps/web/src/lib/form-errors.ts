import { ApiError } from '../api/client.js';
import { apiErrorMessage, issueMessage } from './api-error-message.js';

/**
 * Maps the server's validation issues onto form field paths. Why: the server is the authority on validation, and
 * its message must appear under the field that caused it. `fields` are patterns where `*` is an array index;
 * `rename` adapts server paths (`phones.0.number` → `phones.0.raw`). Issues matching no field come back as `rest`
 * for a form-level alert, so no message is ever lost. Messages are in the user's language (api-error-message.ts).
 */
export function mapServerErrors(
  error: unknown,
  fields: readonly string[],
  rename: (path: string) => string = (path) => path,
): { fieldErrors: Record<string, string>; rest: string[] } {
  const fieldErrors: Record<string, string> = {};
  const rest: string[] = [];
  if (!(error instanceof ApiError)) {
    return { fieldErrors, rest: error ? [apiErrorMessage(error)] : [] };
  }
  if (error.details.length === 0) {
    return { fieldErrors, rest: [apiErrorMessage(error)] };
  }
  const patterns = fields.map(
    (field) => new RegExp(`^${field.replace(/\./g, '\\.').replace(/\*/g, '\\d+')}$`),
  );
  for (const issue of error.details) {
    const path = rename(issue.path);
    if (patterns.some((pattern) => pattern.test(path))) {
      fieldErrors[path] ??= issueMessage(issue);
    } else {
      rest.push(issue.path ? `${issue.path}: ${issueMessage(issue)}` : issueMessage(issue));
    }
  }
  return { fieldErrors, rest };
}
