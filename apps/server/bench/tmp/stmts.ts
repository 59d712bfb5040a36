import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const dir = mkdtempSync(join(tmpdir(), 'apply-'));
const database = openDatabase({ dialect: 'sqlite', file: join(dir, 'b.sqlite') });
await migrateToLatest(database.db);
const sqlite = database.sqlite!;
const N = 10000;
const cols = [
  'id',
  'pbx_call_id',
  'direction',
  'status',
  'call_start',
  'started_at',
  'caller_id',
  'destination',
  'client_number',
  'did_number',
  'ringing_extensions',
  'origin_extension',
  'answered_at',
  'answered_by',
  'disposition',
  'duration',
  'status_code',
  'ended_at',
  'is_recorded',
  'recording_ids',
  'calltype',
  'events',
  'contact_id',
  'agent_user_id',
  'client_e164',
  'version',
  'created_at',
  'updated_at',
];
const ins = sqlite.prepare(
  `insert into calls (${cols.join(',')}) values (${cols.map((c) => '@' + c).join(',')})`,
);
const ev =
  '[{"kind":"internal","pbxCallId":"in_x000000000000000000000000000000000000","receivedAt":"2026-11-25T04:38:00.034Z","callStart":"2026-11-25 10:15:30","startedAt":"2026-11-25T10:15:30.000Z","calltype":null,"callerId":"442071234567","calledDid":"442037691999","extension":"101"}]';
const row = (i: number) => ({
  id: `01a210ff-0cbe-775b-aeb9-${String(i).padStart(12, '0')}`,
  pbx_call_id: `in_x${i.toString(16).padStart(36, '0')}`,
  direction: 'inbound',
  status: 'ringing',
  call_start: '2026-11-25 10:15:30',
  started_at: new Date(Date.now() + i).toISOString(),
  caller_id: '442071234567',
  destination: null,
  client_number: '442071234567',
  did_number: '442037691999',
  ringing_extensions: '["101"]',
  origin_extension: null,
  answered_at: null,
  answered_by: null,
  disposition: null,
  duration: null,
  status_code: null,
  ended_at: null,
  is_recorded: 0,
  recording_ids: '[]',
  calltype: null,
  events: ev,
  contact_id: null,
  agent_user_id: null,
  client_e164: null,
  version: 1,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
});
function t(label: string, n: number, f: (i: number) => void, tx = true) {
  if (tx) sqlite.exec('begin');
  const s = performance.now();
  for (let i = 0; i < n; i++) f(i);
  const e = performance.now() - s;
  if (tx) sqlite.exec('commit');
  console.log(label.padEnd(36), ((e * 1000) / n).toFixed(2), 'µs');
}
t('insert full call row', N, (i) => ins.run(row(i)));
const upd = sqlite.prepare(
  'update calls set status = @status, disposition = @disposition, duration = @duration, status_code = @status_code, ended_at = @ended_at, events = @events, version = @version, updated_at = @updated_at where id = @id',
);
t('update changed cols (status idx)', N, (i) =>
  upd.run({
    id: row(i).id,
    status: 'missed',
    disposition: 'no answer',
    duration: 0,
    status_code: '19',
    ended_at: 'x',
    events: ev + ev,
    version: 2,
    updated_at: 'y',
  }),
);
const link = sqlite.prepare(
  'update calls set client_e164 = ?, version = version + 1, updated_at = ? where id = ? returning version, updated_at',
);
t('link e164', N, (i) => link.get('+442071234567', 'z', row(i).id));
const sel = sqlite.prepare('select * from calls where pbx_call_id = ?');
t('select * hit', N, (i) => sel.get(row(i).pbx_call_id));
const selr = sqlite.prepare('select * from calls where pbx_call_id = ?').raw(true);
t('select * hit raw', N, (i) => selr.get(row(i).pbx_call_id));
const inbox = sqlite.prepare(
  'insert into webhook_inbox (id, received_at, remote_ip, event, pbx_call_id, body, content_type, signature_valid, status, error, processed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const body =
  'event=NOTIFY_INTERNAL&call_start=2026-11-25+10%3A15%3A30&pbx_call_id=in_i00000000000000000000000000000000000&caller_id=442071234567&called_did=442037691999&internal=101';
t('inbox insert', N, (i) =>
  inbox.run(
    `01a210ff-0cbe-775b-aeb9-${String(i).padStart(12, '0')}`,
    new Date().toISOString(),
    '127.0.0.1',
    'NOTIFY_INTERNAL',
    `in_x${i}`,
    body,
    'application/x-www-form-urlencoded',
    1,
    'received',
    null,
    null,
  ),
);
const st = sqlite.prepare('update webhook_inbox set status = ?, processed_at = ?, error = ? where id = ?');
t('inbox status', N, (i) =>
  st.run('processed', 'x', null, `01a210ff-0cbe-775b-aeb9-${String(i).padStart(12, '0')}`),
);
const evi = sqlite.prepare('insert into events (topic, payload, created_at) values (?, ?, ?) returning id');
t('events insert', N, () =>
  evi.get(
    'call.ringing',
    '{"userIds":["a"],"data":{"pbxCallId":"in_x","callId":"c","direction":"in","extension":"101","clientNumber":"442071234567","clientE164":"+442071234567","startedAt":"2026","contact":null}}',
    new Date().toISOString(),
  ),
);
const tx = sqlite.transaction(() => {});
t('empty begin/commit (better-sqlite3)', 2000, () => tx(), false);
t(
  'insert events + commit each',
  2000,
  () => {
    sqlite.exec('begin');
    evi.get('x', '{}', 'y');
    sqlite.exec('commit');
  },
  false,
);
console.log(
  sqlite
    .prepare(
      "select name from sqlite_master where type='index' and tbl_name in ('calls','webhook_inbox','events')",
    )
    .all(),
);
await database.close();
