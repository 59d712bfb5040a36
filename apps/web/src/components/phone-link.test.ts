import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { clickToCallError } from './PhoneLink.js';

const t = (id: string, values?: Record<string, unknown>) => (values ? `${id} ${JSON.stringify(values)}` : id);

describe('click-to-call error messages', () => {
  it('names the fix for each refusal and keeps Zadarma’s exact words', () => {
    expect(clickToCallError(t, new ApiError(409, 'SB_ERR_NO_EXTENSION', 'x'))).toBe('c2c.noExtension');
    expect(clickToCallError(t, new ApiError(402, 'SB_ERR_INSUFFICIENT_BALANCE', 'x'))).toBe('c2c.balance');
    expect(clickToCallError(t, new ApiError(502, 'SB_ERR_ZADARMA_REFUSED', 'Wrong parameter to'))).toBe(
      'c2c.refused {"message":"Wrong parameter to"}',
    );
    expect(clickToCallError(t, new ApiError(500, 'SB_ERR_INTERNAL', 'Something broke'))).toBe(
      'Something broke',
    );
  });
});
