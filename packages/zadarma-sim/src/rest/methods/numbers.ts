/** `/v1/direct_numbers/` and `/v1/sip/*` — virtual numbers, SIP accounts, caller ids (docs/zadarma-protocol.md §4.6, §4.7). */
import type { DirectNumber } from '../../state.js';
import { ApiError } from '../errors.js';
import { matching, PHONE, type Route, required } from '../route.js';

function numberInfo(n: DirectNumber, currency: string, sipName: string | null): Record<string, unknown> {
  return {
    number: n.number,
    status: 'on',
    country: n.country,
    description: n.description,
    number_name: null,
    sip: n.sip,
    sip_name: sipName,
    start_date: '2024-01-01 00:00:00',
    stop_date: '2099-01-01 00:00:00',
    monthly_fee: n.monthlyFee,
    currency,
    channels: n.channels,
    minutes: 0,
    autorenew: 'true',
    is_on_test: 'false',
    type: 'common',
  };
}

export const numberRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^direct_numbers$/,
    handler: ({ sim }) => ({
      status: 'success',
      info: sim.state.numbers.map((n) =>
        numberInfo(
          n,
          sim.state.account.currency,
          sim.state.sips.find((s) => s.id === n.sip)?.displayName ?? null,
        ),
      ),
    }),
  },
  {
    method: 'GET',
    pattern: /^direct_numbers\/number$/,
    handler: (req) => {
      const number = (matching(req, 'number', PHONE, 'a phone number', true) as string).replace(/^\+/, '');
      const n = req.sim.state.numbers.find((x) => x.number === number);
      if (!n) {
        throw new ApiError(400, `Wrong parameter 'number': ${number} is not a number of this account`);
      }
      return {
        status: 'success',
        info: { ...numberInfo(n, req.sim.state.account.currency, null), receive_sms: 'false' },
      };
    },
  },
  {
    method: 'GET',
    pattern: /^sip$/,
    handler: ({ sim }) => ({
      status: 'success',
      sips: sim.state.sips.map((s) => ({ id: s.id, display_name: s.displayName, lines: s.lines })),
      left: Math.max(0, 5 - sim.state.sips.length),
    }),
  },
  {
    method: 'GET',
    pattern: /^sip\/([^/]+)\/status$/,
    handler: (req) => {
      const sip = req.sim.state.sips.find((s) => s.id === req.match[1]);
      if (!sip) {
        throw new ApiError(400, `Wrong parameter 'sip': SIP ${req.match[1]} does not exist`);
      }
      return { status: 'success', sip: sip.id, is_online: 'true' };
    },
  },
  {
    method: 'PUT',
    pattern: /^sip\/callerid$/,
    handler: (req) => {
      const id = required(req, 'id');
      const number = (matching(req, 'number', PHONE, 'a phone number', true) as string).replace(/^\+/, '');
      const sip = req.sim.state.sips.find((s) => s.id === id);
      if (!sip) {
        throw new ApiError(400, `Wrong parameter 'id': SIP ${id} does not exist`);
      }
      if (!req.sim.state.numbers.some((n) => n.number === number)) {
        throw new ApiError(
          400,
          `Wrong parameter 'number': ${number} is not a confirmed number of this account`,
        );
      }
      sip.callerId = number;
      return { status: 'success', sip: sip.id, new_caller_id: number };
    },
  },
];
