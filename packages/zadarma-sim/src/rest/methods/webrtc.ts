/** `GET /v1/webrtc/get_key/` — a 72-hour key for the WebRTC widget (docs/zadarma-protocol.md §4.12). */
import { randomBytes } from 'node:crypto';
import { findExtension } from '../../state.js';
import { ApiError } from '../errors.js';
import { type Route, required } from '../route.js';

const KEY_LIFETIME_MS = 72 * 3600 * 1000;

export const webrtcRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^webrtc\/get_key$/,
    handler: (req) => {
      const sip = required(req, 'sip');
      // The widget login is `<sip>-<extension>` (§4.12); the bare extension or SIP id is accepted too.
      const ext = sip.includes('-') ? sip.slice(sip.lastIndexOf('-') + 1) : sip;
      const known = findExtension(req.sim.state, ext) || req.sim.state.sips.some((s) => s.id === sip);
      if (!known) {
        throw new ApiError(400, `Wrong parameter 'sip': "${sip}" is not a SIP account or extension`);
      }
      const key = randomBytes(16).toString('hex');
      req.sim.data.webrtcKeys.set(key, { sip, expiresAt: req.sim.clock.now() + KEY_LIFETIME_MS });
      return { status: 'success', key };
    },
  },
];
