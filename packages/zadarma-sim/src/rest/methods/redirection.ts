/** `GET|POST /v1/pbx/redirection/` — per-extension call forwarding (docs/zadarma-protocol.md §4.8). */
import { type Extension, findExtension } from '../../state.js';
import { ApiError } from '../errors.js';
import { oneOf, type RestRequest, type Route, required } from '../route.js';

function extensionParam(req: RestRequest): Extension {
  const number = required(req, 'pbx_number');
  const ext = findExtension(req.sim.state, number);
  if (!ext) {
    throw new ApiError(400, `Wrong parameter 'pbx_number': extension ${number} does not exist`);
  }
  return ext;
}

function view(req: RestRequest, ext: Extension): Record<string, unknown> {
  return {
    status: 'success',
    current_status: ext.redirection.status,
    pbx_id: String(req.sim.state.account.pbxId),
    pbx_name: ext.number,
    type: ext.redirection.type,
    destination: ext.redirection.destination,
    condition: ext.redirection.condition,
  };
}

export const redirectionRoutes: Route[] = [
  { method: 'GET', pattern: /^pbx\/redirection$/, handler: (req) => view(req, extensionParam(req)) },
  {
    method: 'POST',
    pattern: /^pbx\/redirection$/,
    handler: (req) => {
      const ext = extensionParam(req);
      const status = oneOf(req, 'status', ['on', 'off'], true);
      if (status === 'off') {
        ext.redirection.status = 'off';
        return view(req, ext);
      }
      const type = oneOf(req, 'type', ['phone', 'voicemail', 'menu', 'sip', 'sip_uri'], true) as string;
      const destination = required(req, 'destination');
      const condition = oneOf(req, 'condition', ['always', 'noanswer'], true) as string;
      oneOf(req, 'voicemail_greeting', ['no', 'standart', 'own'], false);
      oneOf(req, 'set_caller_id', ['on', 'off'], false);
      if (type === 'phone' && !/^\+?[0-9]{5,15}$/.test(destination)) {
        throw new ApiError(400, "Wrong parameter 'destination': Check phone's number");
      }
      ext.redirection = { status: 'on', type, destination, condition };
      return view(req, ext);
    },
  },
];
