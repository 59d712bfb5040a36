/**
 * The Zadarma account balance, for the settings page.
 */
import type { ZadarmaAccount } from '../ports.js';
import { requireZadarmaClient } from './require-zadarma-client.js';

/** Reads the balance; SDK errors propagate (the route maps them). Why: admins watch the credit calls spend. */
export async function readZadarmaBalance(options: {
  readonly zadarma: ZadarmaAccount;
}): Promise<{ balance: number; currency: string }> {
  const { balance, currency } = await (await requireZadarmaClient(options.zadarma)).getBalance();
  return { balance, currency };
}
