// Every server message a user sees, in the user's language. The server answers an error code from one
// catalogue (apps/server/src/platform/errors/errors.ts) and, per field, a reason (a zod issue code such as
// `too_big`, or one of the CRM's own such as `phone_invalid`) with its limits. Its English sentences are for
// logs and API clients: in French or Russian the web says the same thing from its own catalogue.
import type { ErrorCode } from '../../../server/src/platform/errors/errors.js';
import { ApiError, type FieldIssue } from '../api/client.js';
import { i18n } from '../i18n/i18n.js';

/** The codes an ApiError can carry: the server's catalogue, and the two the web client makes itself. */
type ApiErrorCode = ErrorCode | 'SB_ERR_HTTP' | 'SB_ERR_NETWORK';

/**
 * The message id of each code. A `Record` over the server's own type: a code added to the server's catalogue
 * fails the web's type check until it is listed here, and `api-error-message.test.ts` until it is translated.
 */
export const ERROR_CODE_MESSAGES: Readonly<Record<ApiErrorCode, string>> = {
  SB_ERR_VALIDATION: 'error.SB_ERR_VALIDATION',
  SB_ERR_BAD_REQUEST: 'error.SB_ERR_BAD_REQUEST',
  SB_ERR_UNAUTHENTICATED: 'error.SB_ERR_UNAUTHENTICATED',
  SB_ERR_INVALID_CREDENTIALS: 'error.SB_ERR_INVALID_CREDENTIALS',
  SB_ERR_FORBIDDEN: 'error.SB_ERR_FORBIDDEN',
  SB_ERR_CSRF: 'error.SB_ERR_CSRF',
  SB_ERR_ACCOUNT_DISABLED: 'error.SB_ERR_ACCOUNT_DISABLED',
  SB_ERR_NOT_FOUND: 'error.SB_ERR_NOT_FOUND',
  SB_ERR_CONFLICT: 'error.SB_ERR_CONFLICT',
  SB_ERR_REQUEST_TIMEOUT: 'error.SB_ERR_REQUEST_TIMEOUT',
  SB_ERR_PAYLOAD_TOO_LARGE: 'error.SB_ERR_PAYLOAD_TOO_LARGE',
  SB_ERR_UNSUPPORTED_MEDIA_TYPE: 'error.SB_ERR_UNSUPPORTED_MEDIA_TYPE',
  SB_ERR_RATE_LIMITED: 'error.SB_ERR_RATE_LIMITED',
  SB_ERR_INTERNAL: 'error.SB_ERR_INTERNAL',
  SB_ERR_UNAVAILABLE: 'error.SB_ERR_UNAVAILABLE',
  SB_ERR_TELEPHONY_NOT_CONFIGURED: 'c2c.notConfigured',
  SB_ERR_NO_EXTENSION: 'c2c.noExtension',
  SB_ERR_DO_NOT_CALL: 'error.SB_ERR_DO_NOT_CALL',
  SB_ERR_INSUFFICIENT_BALANCE: 'c2c.balance',
  SB_ERR_ZADARMA_UNAUTHORIZED: 'error.SB_ERR_ZADARMA_UNAUTHORIZED',
  SB_ERR_ZADARMA_REFUSED: 'error.SB_ERR_ZADARMA_REFUSED',
  SB_ERR_ZADARMA_UNREACHABLE: 'c2c.unreachable',
  SB_ERR_ZADARMA_RATE_LIMITED: 'c2c.rateLimited',
  SB_ERR_CONFIRMATION_REQUIRED: 'error.SB_ERR_CONFIRMATION_REQUIRED',
  SB_ERR_NO_RECORDING: 'rec.none',
  SB_ERR_RANGE_NOT_SATISFIABLE: 'error.SB_ERR_RANGE_NOT_SATISFIABLE',
  SB_ERR_HTTP: 'error.SB_ERR_HTTP',
  SB_ERR_NETWORK: 'error.SB_ERR_NETWORK',
};

/**
 * The message id of each field reason: zod 4's issue codes (some split by what was measured) and the CRM's
 * own (`FieldReason` in apps/server/src/modules/crm/shared/validation.ts).
 */
export const ISSUE_MESSAGES: Readonly<Record<string, string>> = {
  'too_big.string': 'error.issue.tooLongText',
  'too_big.array': 'error.issue.tooManyItems',
  too_big: 'error.issue.tooBig',
  'too_small.string': 'error.issue.tooShortText',
  'too_small.array': 'error.issue.tooFewItems',
  too_small: 'error.issue.tooSmall',
  required: 'error.issue.required',
  invalid_type: 'error.issue.invalidType',
  'invalid_format.email': 'error.issue.email',
  'invalid_format.url': 'error.issue.url',
  invalid_format: 'error.issue.format',
  invalid_value: 'error.issue.invalidValue',
  unrecognized_keys: 'error.issue.unknownField',
  not_multiple_of: 'error.issue.notMultiple',
  invalid: 'error.issue.invalid',
  name_required: 'contact.validation.nameRequired',
  reference_missing: 'error.issue.referenceMissing',
  stage_not_in_pipeline: 'error.issue.stageNotInPipeline',
  phone_invalid: 'error.issue.phoneInvalid',
  owner_self: 'error.issue.ownerSelf',
  subject_incomplete: 'error.issue.subjectIncomplete',
  merge_same: 'error.issue.mergeSame',
  contact_required: 'error.issue.contactRequired',
  stage_open_required: 'error.issue.stageOpenRequired',
  template_field_unknown: 'error.issue.templateFieldUnknown',
  template_brace_open: 'error.issue.templateBraceOpen',
  number_extension: 'error.issue.numberExtension',
  number_own: 'error.issue.numberOwn',
  prefix_invalid: 'error.issue.prefixInvalid',
  prefix_length: 'error.issue.prefixLength',
  prefix_national: 'error.issue.prefixNational',
  expiry_past: 'error.issue.expiryPast',
};

function isKnownCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(ERROR_CODE_MESSAGES, code);
}

/** The message id for one field issue, from its reason and what it measured. */
function issueMessageId(issue: FieldIssue): string | undefined {
  const { reason, params } = issue;
  if (!reason) {
    return undefined;
  }
  if (reason === 'too_small' && params?.origin === 'string' && params.minimum === 1) {
    return ISSUE_MESSAGES.required;
  }
  const specific = [params?.format, params?.origin]
    .filter((detail) => detail !== undefined)
    .map((detail) => ISSUE_MESSAGES[`${reason}.${detail}`])
    .find((id) => id !== undefined);
  return specific ?? ISSUE_MESSAGES[reason];
}

/**
 * One field issue in the user's language. An issue without a known reason keeps the server's sentence in
 * English and reads "this value is not valid" in the other languages: never English on a French screen.
 */
export function issueMessage(issue: FieldIssue): string {
  const id = issueMessageId(issue);
  if (id) {
    return i18n._(id, { ...issue.params });
  }
  return i18n.locale === 'en' ? issue.message : i18n._(ISSUE_MESSAGES.invalid as string);
}

/**
 * An error in the user's language: a network failure, an API error (by code; a validation error lists its
 * fields), or anything else. In English the server's own sentence is kept where it says more than the
 * code ("agents can only change contacts that are theirs or unassigned").
 */
export function apiErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) {
    if (!error) {
      return '';
    }
    return i18n.locale === 'en' && error instanceof Error ? error.message : i18n._('error.SB_ERR_INTERNAL');
  }
  if (error.code === 'SB_ERR_VALIDATION' && error.details.length > 0) {
    const issues = error.details.map((issue) =>
      issue.path ? `${issue.path}: ${issueMessage(issue)}` : issueMessage(issue),
    );
    return `${i18n._('error.SB_ERR_VALIDATION')} ${issues.join('; ')}`;
  }
  if (i18n.locale === 'en') {
    return error.message;
  }
  return i18n._(isKnownCode(error.code) ? ERROR_CODE_MESSAGES[error.code] : 'error.SB_ERR_INTERNAL');
}
