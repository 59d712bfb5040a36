/** `/v1/statistics/` and `/v1/statistics/pbx/` built from the calls the simulator played (docs/zadarma-protocol.md §4.4). */
import { timezoneOffset } from '../../state.js';
import { formatZadarmaDate, parseZadarmaDate } from '../../time-format.js';
import { badParam } from '../errors.js';
import { DATE_TIME, integer, matching, oneOf, type RestRequest, type Route } from '../route.js';

const MAX_PERIOD_MS = 30 * 24 * 3600 * 1000;

/** Reads `start`/`end`: month start and now by default; a longer range is cut to 30 days (clients' docblocks). */
function period(req: RestRequest): { from: number; to: number; start: string; end: string } {
  const offset = timezoneOffset(req.sim.state);
  const now = req.sim.clock.now();
  const startText = matching(req, 'start', DATE_TIME, 'YYYY-MM-DD HH:MM:SS', false);
  const endText = matching(req, 'end', DATE_TIME, 'YYYY-MM-DD HH:MM:SS', false);
  const nowText = formatZadarmaDate(now, offset);
  const from = parseZadarmaDate(startText ?? `${nowText.slice(0, 8)}01 00:00:00`, offset);
  let to = endText === undefined ? now : parseZadarmaDate(endText, offset);
  if (from === null) {
    throw badParam('start', `"${startText}" is not a valid date`);
  }
  if (to === null) {
    throw badParam('end', `"${endText}" is not a valid date`);
  }
  if (to < from) {
    throw badParam('end', 'is before start');
  }
  if (to - from > MAX_PERIOD_MS) {
    to = from + MAX_PERIOD_MS;
  }
  return { from, to, start: formatZadarmaDate(from, offset), end: formatZadarmaDate(to, offset) };
}

export const statisticsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^statistics\/pbx$/,
    statistics: true,
    handler: (req) => {
      const p = period(req);
      const version = Number(oneOf(req, 'version', ['1', '2'], false) ?? '1');
      const callType = oneOf(req, 'call_type', ['in', 'out'], false);
      const skip = integer(req, 'skip', 0, Number.MAX_SAFE_INTEGER, 0);
      const limit = integer(req, 'limit', 1, 1000, 1000);
      const rows = req.sim.data.pbxStats
        .filter((r) => r.at >= p.from && r.at <= p.to && (callType === undefined || r.direction === callType))
        .sort((a, b) => a.at - b.at || a.seq - b.seq)
        .slice(skip, skip + limit)
        .map(({ at: _at, seq: _seq, direction: _direction, ...row }) => row);
      return { status: 'success', start: p.start, end: p.end, version, stats: rows };
    },
  },
  {
    method: 'GET',
    pattern: /^statistics$/,
    statistics: true,
    handler: (req) => {
      const p = period(req);
      const sip = matching(req, 'sip', /^[0-9]{5}$/, 'a 5-digit SIP id', false);
      const costOnly = req.params.get('cost_only');
      oneOf(req, 'type', ['overall', 'toll-free'], false);
      const skip = integer(req, 'skip', 0, Number.MAX_SAFE_INTEGER, 0);
      const limit = integer(req, 'limit', 1, 1000, 1000);
      const rows = req.sim.data.accountStats
        .filter((r) => r.at >= p.from && r.at <= p.to && (sip === undefined || r.sip === sip))
        .sort((a, b) => a.at - b.at || a.seq - b.seq);
      if (costOnly !== undefined && costOnly !== '' && costOnly !== '0' && costOnly !== 'false') {
        const cost = Math.round(rows.reduce((s, r) => s + r.billcost, 0) * 1000) / 1000;
        const seconds = rows.reduce((s, r) => s + r.billseconds, 0);
        return {
          status: 'success',
          start: p.start,
          end: p.end,
          stats: [{ cost, currency: req.sim.state.account.currency, seconds }],
        };
      }
      return {
        status: 'success',
        start: p.start,
        end: p.end,
        stats: rows.slice(skip, skip + limit).map(({ at: _at, seq: _seq, ...row }) => row),
      };
    },
  },
];
