import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { i18n } from '../i18n/i18n.js';
import { apiErrorMessage, ERROR_CODE_MESSAGES, ISSUE_MESSAGES, issueMessage } from './api-error-message.js';

const here = dirname(fileURLToPath(import.meta.url));
const serverSrc = join(here, '../../../server/src');

function catalogue(locale: string): Map<string, string> {
  const text = readFileSync(join(here, '..', 'locales', `${locale}.po`), 'utf8');
  return new Map([...text.matchAll(/^msgid "(.+)"\nmsgstr "(.*)"$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** The codes of the server's one error catalogue, read from its source (the web imports no server code). */
function serverErrorCodes(): string[] {
  const text = readFileSync(join(serverSrc, 'platform/errors/errors.ts'), 'utf8');
  const table = text.slice(text.indexOf('const ERROR_STATUS'), text.indexOf('} as const'));
  return [...table.matchAll(/^\s+(SB_ERR_[A-Z_]+):/gm)].map((m) => m[1] ?? '');
}

/** The CRM's own field reasons (`FieldReason`), read from the server's source. */
function serverFieldReasons(): string[] {
  const text = readFileSync(join(serverSrc, 'modules/crm/shared/validation.ts'), 'utf8');
  const union = text.slice(text.indexOf('export type FieldReason'));
  return [...union.slice(0, union.indexOf(';')).matchAll(/'([a-z_]+)'/g)].map((m) => m[1] ?? '');
}

afterEach(() => {
  i18n.activate('en');
});

describe('server messages in the user’s language', () => {
  it('has a message for every code of the server’s catalogue and every field reason, in en, fr and ru', () => {
    const codes = serverErrorCodes();
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((code) => !Object.hasOwn(ERROR_CODE_MESSAGES, code))).toEqual([]);
    const reasons = serverFieldReasons();
    expect(reasons).toContain('phone_invalid');
    expect(reasons.filter((reason) => !Object.hasOwn(ISSUE_MESSAGES, reason))).toEqual([]);
    const ids = [...Object.values(ERROR_CODE_MESSAGES), ...Object.values(ISSUE_MESSAGES)];
    for (const locale of ['en', 'fr', 'ru']) {
      const entries = catalogue(locale);
      expect(
        ids.filter((id) => !entries.get(id)),
        `${locale}: message ids without a translation`,
      ).toEqual([]);
    }
  });

  it('says zod’s limits in French and Russian instead of “Too big: expected string…”', () => {
    const tooLong = {
      path: 'phones.0.raw',
      message: 'Too big: expected string to have <=40 characters',
      reason: 'too_big',
      params: { maximum: 40, origin: 'string' },
    };
    i18n.activate('fr');
    expect(issueMessage(tooLong)).toBe('40 caractères au maximum');
    expect(
      issueMessage({
        path: 'firstName',
        message: 'x',
        reason: 'too_small',
        params: { minimum: 1, origin: 'string' },
      }),
    ).toBe('Obligatoire');
    expect(
      issueMessage({
        path: 'email',
        message: 'Invalid email address',
        reason: 'invalid_format',
        params: { format: 'email', origin: 'string' },
      }),
    ).toContain('adresse e-mail');
    i18n.activate('ru');
    expect(issueMessage(tooLong)).toBe('Не более 40 символов');
  });

  it('says why the block dialog refuses a number, with the number, in French and Russian', () => {
    const own = {
      path: 'number',
      message: '+442037691999 is one of our own numbers and can never be blocked',
      reason: 'number_own',
      params: { number: '+442037691999' },
    };
    i18n.activate('fr');
    expect(issueMessage(own)).toBe(
      '+442037691999 est l’un de nos propres numéros : il ne peut jamais être bloqué',
    );
    expect(issueMessage({ path: 'expiresAt', message: 'is in the past', reason: 'expiry_past' })).toContain(
      'Cette date est passée',
    );
    i18n.activate('ru');
    expect(issueMessage(own)).toContain('один из наших собственных номеров');
  });

  it('never shows the server’s English to a French or Russian user, whatever the code', () => {
    const forbidden = new ApiError(
      403,
      'SB_ERR_FORBIDDEN',
      'agents can only change contacts that are theirs or unassigned',
    );
    const unknownReason = new ApiError(400, 'SB_ERR_VALIDATION', 'invalid', [
      { path: 'mapping', message: 'must be a JSON object such as {"firstName":"First name"}' },
    ]);
    const unknownCode = new ApiError(418, 'SB_ERR_TEAPOT', 'I am a teapot');
    for (const locale of ['fr', 'ru'] as const) {
      i18n.activate(locale);
      for (const error of [forbidden, unknownReason, unknownCode, new Error('Failed to fetch')]) {
        const text = apiErrorMessage(error);
        expect(text, `${locale}: ${error.message}`).not.toMatch(/agents|must be|teapot|Failed/);
        expect(text.length).toBeGreaterThan(5);
      }
    }
    i18n.activate('fr');
    expect(apiErrorMessage(forbidden)).toContain('Vous n’avez pas le droit');
    i18n.activate('en');
    // In English the server's own sentence stays: it says more than the code.
    expect(apiErrorMessage(forbidden)).toBe('agents can only change contacts that are theirs or unassigned');
  });
});
