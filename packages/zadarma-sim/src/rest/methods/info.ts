/** `/v1/info/*` and `/v1/tariff/` (docs/zadarma-protocol.md §4.1). */
import { priceFor, timezoneOffset } from '../../state.js';
import { formatZadarmaDate } from '../../time-format.js';
import { matching, PHONE, type Route } from '../route.js';

export const infoRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^info\/balance$/,
    handler: ({ sim }) => ({
      status: 'success',
      balance: sim.state.account.balance,
      currency: sim.state.account.currency,
    }),
  },
  {
    method: 'GET',
    pattern: /^info\/timezone$/,
    handler: ({ sim }) => {
      const now = sim.clock.now();
      return {
        status: 'success',
        unixtime: Math.floor(now / 1000),
        datetime: formatZadarmaDate(now, timezoneOffset(sim.state)),
        timezone: sim.state.account.timezone,
      };
    },
  },
  {
    method: 'GET',
    pattern: /^info\/price$/,
    handler: (req) => {
      const number = matching(req, 'number', PHONE, 'an international phone number', true) as string;
      matching(req, 'caller_id', PHONE, 'an international phone number', false);
      const price = priceFor(req.sim.state, number);
      return {
        status: 'success',
        info: {
          prefix: price.prefix,
          description: price.description,
          price: String(price.price),
          currency: req.sim.state.account.currency,
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^tariff$/,
    handler: ({ sim }) => {
      const used = sim.data.accountStats.reduce((s, r) => s + r.billseconds, 0);
      return {
        status: 'success',
        info: {
          tariff_id: 5,
          tariff_name: 'Office (simulated)',
          is_active: 'true',
          cost: 22,
          currency: sim.state.account.currency,
          used_seconds: used,
          used_seconds_mobile: 0,
          used_seconds_fix: used,
          used_seconds_speech_recognition: 0,
          tariff_id_for_next_period: 5,
          tariff_for_next_period: 'Office (simulated)',
        },
      };
    },
  },
];
