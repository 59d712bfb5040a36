/** `GET /v1/request/callback/` — click-to-call: the extension rings first, then the customer (docs/zadarma-protocol.md §4.2). */
import { SimInputError } from '../../pbx/scenarios.js';
import { ApiError } from '../errors.js';
import { matching, optional, type Route } from '../route.js';

export const callbackRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^request\/callback$/,
    handler: (req) => {
      const from = matching(
        req,
        'from',
        /^(\+?[0-9]{3,15}|[0-9]+-[0-9]+)$/,
        'a number, SIP id or extension',
        true,
      ) as string;
      const to = matching(
        req,
        'to',
        /^(\+?[0-9]{7,15}|[0-9]{3,5})$/,
        'a phone number or SIP id',
        true,
      ) as string;
      const sip = matching(req, 'sip', /^([0-9]{5}|[0-9]{3})$/, 'a SIP id or extension', false);
      const predicted = optional(req, 'predicted');
      const plan = req.sim.callbackPlan;
      try {
        req.sim.engine.placeCallback({
          from,
          to,
          ...(sip !== undefined ? { sip } : {}),
          // Any non-empty value enables it (docs/zadarma-protocol.md §4.2: `predicted`, `true` and `1` are all seen).
          predicted:
            predicted !== undefined && predicted !== '' && predicted !== '0' && predicted !== 'false',
          outcome: plan.outcome,
          ...(plan.extensionOutcome !== undefined ? { extensionOutcome: plan.extensionOutcome } : {}),
          ...(plan.talkSeconds !== undefined ? { talkSeconds: plan.talkSeconds } : {}),
          ...(plan.ringSeconds !== undefined ? { ringSeconds: plan.ringSeconds } : {}),
        });
      } catch (error) {
        if (error instanceof SimInputError) {
          throw new ApiError(400, error.message);
        }
        throw error;
      }
      return {
        status: 'success',
        from: from.replace(/^\+/, ''),
        to: to.replace(/^\+/, ''),
        time: Math.floor(req.sim.clock.now() / 1000),
      };
    },
  },
];
