/** `/v1/pbx/internal/*` — PBX extensions and their registration state (docs/zadarma-protocol.md §4.3). */
import { type Extension, findExtension } from '../../state.js';
import { ApiError } from '../errors.js';
import { oneOf, optional, type RestRequest, type Route, required } from '../route.js';

function extensionOf(req: RestRequest, number: string): Extension {
  const ext = findExtension(req.sim.state, number);
  if (!ext) {
    throw new ApiError(400, `Wrong parameter 'pbxsip': extension ${number} does not exist`);
  }
  return ext;
}

export const pbxInternalRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^pbx\/internal$/,
    handler: ({ sim }) => ({
      status: 'success',
      pbx_id: sim.state.account.pbxId,
      numbers: sim.state.extensions.map((e) => Number(e.number)),
    }),
  },
  {
    method: 'GET',
    pattern: /^pbx\/internal\/([^/]+)\/status$/,
    handler: (req) => {
      const ext = extensionOf(req, req.match[1] as string);
      return {
        status: 'success',
        pbx_id: req.sim.state.account.pbxId,
        number: Number(ext.number),
        is_online: ext.online ? 'true' : 'false',
      };
    },
  },
  {
    method: 'GET',
    pattern: /^pbx\/internal\/([^/]+)\/info$/,
    handler: (req) => {
      const ext = extensionOf(req, req.match[1] as string);
      return {
        status: 'success',
        pbx_id: req.sim.state.account.pbxId,
        number: Number(ext.number),
        name: ext.name,
        caller_id: ext.callerId,
        caller_id_app_change: 'true',
        caller_id_by_direction: 'false',
        lines: String(ext.lines),
        ip_restriction: 'false',
        record_store: !ext.recording
          ? 'false'
          : ext.speechRecognition === 'all'
            ? 'For automatic speech recognition'
            : 'For manual recognition',
        record_email: 'false',
        supervisor_status: 0,
      };
    },
  },
  {
    method: 'PUT',
    pattern: /^pbx\/internal\/recording$/,
    handler: (req) => {
      const ext = extensionOf(req, required(req, 'id'));
      const status = oneOf(
        req,
        'status',
        ['on', 'off', 'on_email', 'off_email', 'on_store', 'off_store'],
        true,
      );
      const speech = oneOf(req, 'speech_recognition', ['all', 'optional', 'off'], false);
      if (status === 'on' || status === 'on_store') {
        ext.recording = true;
      } else if (status === 'off' || status === 'off_store') {
        ext.recording = false;
      }
      if (speech) {
        ext.speechRecognition = speech;
      }
      return {
        status: 'success',
        internal_number: Number(ext.number),
        recording: status,
        email: optional(req, 'email') ?? '',
        speech_recognition: ext.speechRecognition,
      };
    },
  },
];
