/**
 * `GET|DELETE /v1/pbx/record/request/` (docs/zadarma-protocol.md §4.5): time-limited links to recordings the simulator
 * serves itself, as real WAV files whose length is the talk time.
 */
import { createHmac } from 'node:crypto';
import type { SimContext } from '../../context.js';
import { timezoneOffset } from '../../state.js';
import type { Recording } from '../../store.js';
import { formatZadarmaDate } from '../../time-format.js';
import { ApiError, badParam } from '../errors.js';
import { integer, optional, type RestRequest, type Route } from '../route.js';

const DOWNLOAD_PREFIX = '/v1/pbx/record/download/';

function linkSignature(sim: SimContext, callId: string, expires: number): string {
  return createHmac('sha256', sim.linkSecret).update(`${callId}|${expires}`).digest('hex').slice(0, 32);
}

/** A download link valid until `expiresAt` (virtual epoch ms). */
function recordingLink(sim: SimContext, callId: string, expiresAt: number): string {
  const expires = Math.floor(expiresAt / 1000);
  const token = `${expires}-${linkSignature(sim, callId, expires)}`;
  return `${sim.baseUrl()}${DOWNLOAD_PREFIX}${token}/${encodeURIComponent(callId)}.wav`;
}

export type DownloadCheck =
  | { readonly ok: true; readonly recording: Recording }
  | { readonly ok: false; readonly status: number; readonly message: string };

/** Checks a download path (`/v1/pbx/record/download/<token>/<call_id>.wav`); `null` if it is not one. */
export function checkDownload(sim: SimContext, path: string): DownloadCheck | null {
  if (!path.startsWith(DOWNLOAD_PREFIX)) {
    return null;
  }
  const match = /^(\d+)-([0-9a-f]{32})\/(.+)\.wav$/.exec(path.slice(DOWNLOAD_PREFIX.length));
  if (!match) {
    return { ok: false, status: 404, message: 'Record not found' };
  }
  const expires = Number(match[1]);
  const callId = decodeURIComponent(match[3] as string);
  if (linkSignature(sim, callId, expires) !== match[2]) {
    return { ok: false, status: 403, message: 'Invalid link' };
  }
  if (sim.clock.now() > expires * 1000) {
    return { ok: false, status: 403, message: 'Link expired' };
  }
  const recording = sim.data.recordings.get(callId);
  if (!recording || recording.deleted) {
    return { ok: false, status: 404, message: 'Record not found' };
  }
  return { ok: true, recording };
}

function target(req: RestRequest): { callId?: string; pbxCallId?: string } {
  const callId = optional(req, 'call_id');
  const pbxCallId = optional(req, 'pbx_call_id');
  if (!callId && !pbxCallId) {
    throw badParam('call_id', 'call_id or pbx_call_id is required');
  }
  return callId ? { callId } : { pbxCallId: pbxCallId as string };
}

function recordingsFor(req: RestRequest, t: { callId?: string; pbxCallId?: string }): Recording[] {
  // A recording is offered once it is complete, i.e. from NOTIFY_RECORD on (docs/zadarma-protocol.md §4.5: "still being written").
  const now = req.sim.clock.now();
  const all = [...req.sim.data.recordings.values()].filter((r) => !r.deleted && r.readyAt <= now);
  const found = t.callId
    ? all.filter((r) => r.callId === t.callId)
    : all.filter((r) => r.pbxCallId === t.pbxCallId);
  if (found.length === 0) {
    throw new ApiError(
      400,
      t.callId
        ? `Wrong parameter 'call_id': no recording "${t.callId}"`
        : `Wrong parameter 'pbx_call_id': no recording for "${t.pbxCallId}"`,
    );
  }
  return found;
}

export const recordRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^pbx\/record\/request$/,
    handler: (req) => {
      const t = target(req);
      const lifetime = integer(req, 'lifetime', 180, 5_184_000, 1800);
      const found = recordingsFor(req, t);
      const expiresAt = req.sim.clock.now() + lifetime * 1000;
      const till = formatZadarmaDate(expiresAt, timezoneOffset(req.sim.state));
      const links = found.map((r) => recordingLink(req.sim, r.callId, expiresAt));
      // By call_id one `link`; by pbx_call_id a `links` array (docs/zadarma-protocol.md §4.5).
      return t.callId
        ? { status: 'success', link: links[0], lifetime_till: till }
        : { status: 'success', links, lifetime_till: till };
    },
  },
  {
    method: 'DELETE',
    pattern: /^pbx\/record\/request$/,
    handler: (req) => {
      const t = target(req);
      const found = recordingsFor(req, t);
      for (const r of found) {
        r.deleted = true;
      }
      const names = found.map((r) => `${r.callId}.wav`);
      return t.callId
        ? { status: 'success', file_name: names[0] }
        : { status: 'success', deleted_files: names, failed_files: [] };
    },
  },
];
