import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

async function run(label: string, pragmas: string[], useHandle = false) {
  const dir = mkdtempSync(join(tmpdir(), 'commit-'));
  const file = join(dir, 'b.sqlite');
  const h = openDatabase({ dialect: 'sqlite', file }, { checkpointMs: useHandle ? 1000 : 0 });
  await migrateToLatest(h.db);
  let sqlite = h.sqlite!;
  if (!useHandle) {
    await h.close();
    sqlite = new SQLite(file);
    for (const p of pragmas) sqlite.pragma(p);
  }
  const inbox = sqlite.prepare(
    'insert into webhook_inbox (id, received_at, remote_ip, event, pbx_call_id, body, content_type, signature_valid, status, error, processed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const body =
    'event=NOTIFY_INTERNAL&call_start=2026-11-25+10%3A15%3A30&pbx_call_id=in_i00000000000000000000000000000000000&caller_id=442071234567&called_did=442037691999&internal=101';
  const tx = sqlite.transaction((k: number) => {
    for (let j = 0; j < 16; j++) {
      const i = k * 16 + j;
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
      );
    }
  });
  const s = performance.now();
  const K = 3000;
  for (let k = 0; k < K; k++) tx(k);
  console.log(
    label.padEnd(40),
    (((performance.now() - s) * 1000) / (K * 16)).toFixed(2),
    'µs/row (16 per commit)',
  );
  sqlite.close();
}
await run('server handle (mmap, cache, ckpt worker)', [], true);
await run('wal normal', ['journal_mode = WAL', 'synchronous = NORMAL']);
await run('wal normal mmap', ['journal_mode = WAL', 'synchronous = NORMAL', 'mmap_size = 2147418112']);
await run('wal normal autockpt off', [
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'wal_autocheckpoint = 0',
]);
await run('wal off sync', ['journal_mode = WAL', 'synchronous = OFF']);
