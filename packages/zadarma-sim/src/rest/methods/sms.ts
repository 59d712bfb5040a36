/** `POST /v1/sms/send/` (docs/zadarma-protocol.md §4.10): recorded, charged, and visible through the control API. */
import { timezoneOffset } from '../../state.js';
import { formatZadarmaDate } from '../../time-format.js';
import { badParam } from '../errors.js';
import { optional, type RestRequest, type Route, required } from '../route.js';

const COST_PER_PART = 0.06;

/** Number of SMS parts: GSM-7 texts split at 160/153 characters, others (UCS-2) at 70/67. */
function smsParts(message: string): number {
  const gsm = /^[\n\r -~£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà]*$/.test(message);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const length = [...message].length;
  return length <= single ? 1 : Math.ceil(length / multi);
}

function numbers(req: RestRequest): string[] {
  const value = req.params.get('number');
  if (value === undefined || value === '') {
    throw badParam('number', 'is required');
  }
  // OAS: an array; the PHP/TS clients send one comma-separated string (§4.10). Accept both.
  const list =
    typeof value === 'string' ? value.split(',') : [...value.values()].filter((v) => typeof v === 'string');
  return list.map((n) => n.trim()).filter((n) => n !== '');
}

export const smsRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^sms\/send$/,
    handler: (req) => {
      const list = numbers(req);
      const message = required(req, 'message');
      // `sender` per OAS; `caller_id` (PHP/TS) and `sender_id` (LARAVEL docs) are accepted as aliases.
      const sender =
        optional(req, 'sender') ?? optional(req, 'caller_id') ?? optional(req, 'sender_id') ?? null;
      const language = optional(req, 'language') ?? null;
      const parts = smsParts(message);
      const accepted = list.filter((n) => /^\+?[0-9]{7,15}$/.test(n));
      const denied = list.filter((n) => !accepted.includes(n));
      const cost = Math.round(accepted.length * parts * COST_PER_PART * 1000) / 1000;
      const sim = req.sim;
      sim.state.account.balance = Math.round((sim.state.account.balance - cost) * 10000) / 10000;
      sim.data.sms.push({
        id: sim.data.sms.length + 1,
        at: formatZadarmaDate(sim.clock.now(), timezoneOffset(sim.state)),
        numbers: accepted,
        message,
        sender,
        language,
        parts,
        cost,
      });
      return {
        status: 'success',
        messages: accepted.length * parts,
        cost,
        currency: sim.state.account.currency,
        sms_detalization: accepted.map((n) => ({
          senderid: sender ?? sim.state.numbers[0]?.number ?? '',
          number: n.replace(/^\+/, ''),
          cost: Math.round(parts * COST_PER_PART * 1000) / 1000,
        })),
        denied_numbers: denied.map((n) => ({ number: n, message: 'Wrong phone number format' })),
      };
    },
  },
  {
    method: 'GET',
    pattern: /^sms\/senderid$/,
    handler: ({ sim }) => ({
      status: 'success',
      senders: ['Switchboard', ...sim.state.numbers.map((n) => n.number)],
    }),
  },
];
