/** The Zadarma client of the current credentials, or the catalogue's "not configured" refusal. */
import { createZadarmaClient } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import { requireZadarmaClient } from './require-zadarma-client.js';

describe('requireZadarmaClient', () => {
  it('hands back the configured client', async () => {
    const client = createZadarmaClient({
      key: 'k',
      secret: 's',
      baseUrl: 'http://127.0.0.1:9',
      retry: false,
      rateLimits: false,
    });
    await expect(requireZadarmaClient({ client: async () => client })).resolves.toBe(client);
  });

  it('refuses with SB_ERR_TELEPHONY_NOT_CONFIGURED while no key and secret are set', async () => {
    await expect(requireZadarmaClient({ client: async () => null })).rejects.toMatchObject({
      code: 'SB_ERR_TELEPHONY_NOT_CONFIGURED',
      status: 409,
    });
  });
});
