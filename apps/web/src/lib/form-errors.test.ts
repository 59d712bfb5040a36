import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { contactErrorPath } from '../pages/contacts/contact-error-path.js';
import { mapServerErrors } from './form-errors.js';

const FIELDS = ['firstName', 'phones.*.raw', 'emails.*.email'];

describe('mapServerErrors', () => {
  it('puts each server message under its field, renaming phone numbers to the form’s input', () => {
    const error = new ApiError(400, 'SB_ERR_VALIDATION', 'the contact is invalid', [
      { path: 'phones.1.number', message: '"12" is not a phone number' },
      { path: 'emails.0', message: 'not an email address' },
      { path: 'firstName', message: 'too long' },
    ]);
    expect(mapServerErrors(error, FIELDS, contactErrorPath)).toEqual({
      fieldErrors: {
        'phones.1.raw': '"12" is not a phone number',
        'emails.0.email': 'not an email address',
        firstName: 'too long',
      },
      rest: [],
    });
  });
  it('keeps messages about unknown fields for the form-level alert', () => {
    const error = new ApiError(400, 'SB_ERR_VALIDATION', 'invalid', [
      { path: 'owner.team', message: 'no such team' },
    ]);
    expect(mapServerErrors(error, FIELDS)).toEqual({ fieldErrors: {}, rest: ['owner.team: no such team'] });
  });
  it('shows the sentence of an error without details, and of a network failure', () => {
    expect(mapServerErrors(new ApiError(409, 'SB_ERR_CONFLICT', 'the email is taken'), FIELDS).rest).toEqual([
      'the email is taken',
    ]);
    expect(mapServerErrors(new Error('offline'), FIELDS).rest).toEqual(['offline']);
    expect(mapServerErrors(null, FIELDS).rest).toEqual([]);
  });
});
