/**
 * The `TelephonyProvider` port on Zadarma: a callback is `/v1/request/callback/` from the extension (also its SIP
 * line) to the client, "predicted" when the settings say so (docs/zadarma-protocol.md §4.2); the SDK's
 * failures leave as the catalogue's errors.
 */
import type { TelephonyProvider } from '../../ports.js';
import type { TelephonyRuntime } from './telephony-runtime.js';
import { callZadarma } from './zadarma-errors.js';

/** The provider over the runtime's client and settings (both follow the stored credentials). */
export function createZadarmaTelephonyProvider(
  runtime: Pick<TelephonyRuntime, 'client' | 'settings'>,
): TelephonyProvider {
  return {
    async callbackDialer() {
      const client = await runtime.client();
      if (!client) {
        return null;
      }
      const { predictedCallback } = await runtime.settings();
      return {
        async requestCallback({ from, to }) {
          await callZadarma(() =>
            client.requestCallback({
              from,
              to,
              sip: from,
              ...(predictedCallback ? { predicted: true } : {}),
            }),
          );
        },
      };
    },
  };
}
