import { describe, expect, it } from 'vitest';
import { ApiError, errorFromResponse, fieldErrors, readCookie, toQueryString } from './client.js';

describe('readCookie', () => {
  it('finds the CSRF cookie among others and decodes it', () => {
    expect(readCookie('a=1; sb_csrf=abc%3D%3D; b=2', 'sb_csrf')).toBe('abc==');
  });
  it('returns null when the cookie is absent or only a prefix matches', () => {
    expect(readCookie('sb_csrf_old=1', 'sb_csrf')).toBeNull();
    expect(readCookie('', 'sb_csrf')).toBeNull();
  });
});

describe('toQueryString', () => {
  it('drops empty filters so a blank filter does not filter', () => {
    expect(toQueryString({ q: '', page: 2, companyId: null, doNotCall: false, x: undefined })).toBe(
      '?page=2&doNotCall=false',
    );
  });
  it('encodes phone numbers with + and spaces', () => {
    expect(toQueryString({ q: '+33 6 12' })).toBe('?q=%2B33+6+12');
  });
  it('is empty without values', () => {
    expect(toQueryString({})).toBe('');
    expect(toQueryString(undefined)).toBe('');
  });
});

describe('errorFromResponse', () => {
  it('keeps the code, the sentence and the field details of an API error', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          code: 'SB_ERR_VALIDATION',
          message: 'the contact is invalid',
          details: [{ path: 'phones.0.number', message: 'not a phone number' }, { bogus: true }],
        },
      }),
      { status: 400, headers: { 'content-type': 'application/json' } },
    );
    const error = await errorFromResponse(response);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('SB_ERR_VALIDATION');
    expect(error.message).toBe('the contact is invalid');
    expect(error.details).toEqual([{ path: 'phones.0.number', message: 'not a phone number' }]);
    expect(fieldErrors(error)).toEqual({ 'phones.0.number': 'not a phone number' });
  });
  it('names the status when the body is not an API error (a proxy page)', async () => {
    const error = await errorFromResponse(
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(error.code).toBe('SB_ERR_HTTP');
    expect(error.message).toBe('The server answered 502 Bad Gateway');
  });
});
