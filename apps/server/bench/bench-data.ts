/**
 * The 1,000,000-contact benchmark dataset, deterministic so the lookups know which numbers exist:
 * contact i owns one mobile number (60% French +33 61…, 20% Russian +7 912…, 20% UK +44 780…), a name from
 * French/Russian/English pools, a company for half of them, an email for half of them.
 * SQLite: written with prepared statements in big transactions, indexes built after the load, cached in
 * apps/server/.bench-data/. PostgreSQL: generated server-side with generate_series (contacts and phones
 * only: enough for the lookup benchmark), cached in the schema `bench_contacts_<count>_v<version>`.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { searchKey, searchWords } from '../src/modules/crm/search/search-text.js';
import {
  COMPANY_NAMES,
  FIRST_NAMES as FIRST_NAMES_BY_LOCALE,
  LAST_NAMES as LAST_NAMES_BY_LOCALE,
  type Locale,
} from '../src/modules/demo/name-pools.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

const LOCALES: readonly Locale[] = ['fr', 'ru', 'en'];
// The demo's name pools, flattened: one copy of the names for the demo and the bench.
const FIRST_NAMES = LOCALES.flatMap((l) => [...FIRST_NAMES_BY_LOCALE[l].f, ...FIRST_NAMES_BY_LOCALE[l].m]);
const LAST_NAMES = LOCALES.flatMap((l) => LAST_NAMES_BY_LOCALE[l]);
const COMPANIES = LOCALES.flatMap((l) => COMPANY_NAMES[l].map((c) => c.name));
const COMPANY_COUNT = 10_000;

/**
 * The dataset's version, part of its cache's name (folder and schema). Why: a cache is reused as long as it
 * exists, so a change of the names, numbers or companies generated must bump it (2: the demo's name pools).
 */
export const BENCH_DATA_VERSION = 2;

/** The E.164 number of contact i (a bijection on i < 10,000,000, every number valid for libphonenumber). */
export function benchPhone(i: number): { e164: string; raw: string; national: string } {
  const n = String((i * 7919) % 10_000_000).padStart(7, '0');
  const kind = i % 5;
  if (kind < 3) {
    const national = `61${n}`;
    return { e164: `+33${national}`, raw: `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 '), national };
  }
  if (kind === 3) {
    const national = `912${n}`;
    return { e164: `+7${national}`, raw: `+7 912 ${n.slice(0, 3)}-${n.slice(3, 5)}-${n.slice(5)}`, national };
  }
  const national = `780${n}`;
  return { e164: `+44${national}`, raw: `+44 780${n.slice(0, 1)} ${n.slice(1)}`, national };
}

export function benchName(i: number): { first: string; last: string } {
  return {
    first: FIRST_NAMES[(i * 31 + 7) % FIRST_NAMES.length] as string,
    last: LAST_NAMES[(i * 17 + 3) % LAST_NAMES.length] as string,
  };
}

function companyName(k: number): string {
  return `${COMPANIES[k % COMPANIES.length]} ${k}`;
}

const pad = (i: number) => String(i).padStart(8, '0');
// Ids sort like the UUID v7 the app writes (time-ordered) without the cost of generating a million of them.
/** What every generated contact's id starts with. */
const CONTACT_ID_PREFIX = '00000000-bench-7000-8000-c';
const contactId = (i: number) => `${CONTACT_ID_PREFIX}${pad(i)}000`;
const BENCH_USER_IDS = ['00000000-bench-7000-8000-u00000000001', '00000000-bench-7000-8000-u00000000002'];

/** Builds (or reuses) the SQLite file with `count` contacts; returns the seconds spent generating (0 if cached). */
export async function ensureSqliteBenchDb(
  file: string,
  count: number,
  log: (s: string) => void,
): Promise<number> {
  if (existsSync(file)) {
    return 0;
  }
  log(`  generating ${count.toLocaleString('en')} contacts into ${file} (cached for later runs)…`);
  const started = performance.now();
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true });
  const handle = openDatabase({ dialect: 'sqlite', file: tmp });
  await migrateToLatest(handle.db);
  const db = handle.sqlite;
  if (!db) {
    throw new Error('expected SQLite');
  }
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -512000');
  db.pragma('foreign_keys = OFF');
  const now = new Date().toISOString();
  const insertUser = db.prepare(
    "insert into users (id, email, name, role, locale, password_hash, disabled, created_at, updated_at) values (?, ?, ?, 'agent', 'en', 'x', 0, ?, ?)",
  );
  for (const [k, id] of BENCH_USER_IDS.entries()) {
    insertUser.run(id, `bench${k}@example.test`, `Bench Agent ${k}`, now, now);
  }
  // Secondary indexes are dropped during the load and rebuilt after: a sorted build beats a million random inserts.
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      "select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('contacts','contact_phones','contact_emails','companies')",
    )
    .all();
  for (const index of indexes) {
    db.exec(`drop index ${index.name}`);
  }
  db.exec('create temp table tmp_tokens (entity text, token text, entity_id text)');
  const insertCompany = db.prepare(
    "insert into companies (id, name, sort_key, website, phone, address, notes, responsible_user_id, created_at, updated_at) values (?, ?, ?, '', '', '', '', null, ?, ?)",
  );
  const insertToken = db.prepare('insert into tmp_tokens values (?, ?, ?)');
  const companyTokens: string[][] = [];
  db.transaction(() => {
    for (let k = 0; k < COMPANY_COUNT; k++) {
      const name = companyName(k);
      const id = `00000000-bench-7000-8000-k${pad(k)}000`;
      insertCompany.run(id, name, searchKey(name), now, now);
      const words = searchWords(name);
      companyTokens.push(words);
      for (const w of words) {
        insertToken.run('company', w, id);
      }
    }
  })();
  const wordsOf = new Map<string, string[]>();
  const words = (s: string) => {
    let w = wordsOf.get(s);
    if (!w) {
      w = searchWords(s);
      wordsOf.set(s, w);
    }
    return w;
  };
  const insertContact = db.prepare(
    "insert into contacts (id, first_name, last_name, display_name, sort_key, company_id, responsible_user_id, notes, do_not_call, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, '', 0, ?, ?)",
  );
  const insertPhone = db.prepare(
    "insert into contact_phones (id, contact_id, raw, e164, label, position) values (?, ?, ?, ?, 'mobile', 0)",
  );
  const insertEmail = db.prepare(
    "insert into contact_emails (id, contact_id, email, label, position) values (?, ?, ?, 'work', 0)",
  );
  const batch = 100_000;
  for (let start = 0; start < count; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const id = contactId(i);
        const { first, last } = benchName(i);
        const display = `${first} ${last}`;
        const company = i % 2 === 0 ? (i / 2) % COMPANY_COUNT : null;
        insertContact.run(
          id,
          first,
          last,
          display,
          searchKey(display),
          company === null ? null : `00000000-bench-7000-8000-k${pad(company)}000`,
          BENCH_USER_IDS[i % BENCH_USER_IDS.length] as string,
          now,
          now,
        );
        const phone = benchPhone(i);
        insertPhone.run(`00000000-bench-7000-8000-p${pad(i)}000`, id, phone.raw, phone.e164);
        const tokens = new Set([...words(first), ...words(last), phone.e164.slice(1), phone.national]);
        if (company !== null) {
          for (const w of companyTokens[company] as string[]) {
            tokens.add(w);
          }
        }
        if (i % 2 === 1) {
          const email = `${searchKey(first).replace(/[^a-z]/g, '') || 'contact'}.${i}@example-${i % 97}.com`;
          insertEmail.run(`00000000-bench-7000-8000-e${pad(i)}000`, id, email);
          tokens.add(email);
          for (const w of searchWords(email)) {
            tokens.add(w);
          }
        }
        for (const token of tokens) {
          insertToken.run('contact', token, id);
        }
      }
    })();
    log(`  generated ${Math.min(count, start + batch).toLocaleString('en')} contacts`);
  }
  log('  sorting search tokens and building indexes…');
  db.exec(
    'insert into search_tokens (entity, token, entity_id) select entity, token, entity_id from tmp_tokens order by 1, 2, 3',
  );
  db.exec('drop table tmp_tokens');
  for (const index of indexes) {
    db.exec(index.sql);
  }
  db.exec('analyze');
  await handle.close();
  renameSync(tmp, file);
  return (performance.now() - started) / 1000;
}

/** Builds (or reuses) the PostgreSQL schema with `count` contacts and phones; returns seconds spent (0 if cached). */
export async function ensurePostgresBenchDb(url: string, schema: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query(
      `select 1 from information_schema.tables where table_schema = $1 and table_name = 'contact_phones'`,
      [schema],
    );
    if (exists.rowCount) {
      // Only the generated phones: a run's after-call work may create contacts for new callers in this schema,
      // and counting those made the next run drop and regenerate the million.
      const { rows } = await client.query(
        `select count(*)::int as n from ${schema}.contact_phones where contact_id like $1`,
        [`${CONTACT_ID_PREFIX}%`],
      );
      if (rows[0].n === count) {
        return 0;
      }
    }
    const started = performance.now();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.query(`create schema ${schema}`);
    const handle = openDatabase({ dialect: 'postgres', url, schema, poolSize: 1 });
    await migrateToLatest(handle.db);
    await handle.close();
    await client.query(`set search_path = ${schema}`);
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = $1 and tablename in ('contacts','contact_phones') and indexname not like '%pkey'`,
      [schema],
    );
    for (const index of indexes) {
      await client.query(`drop index ${index.indexname}`);
    }
    const users = BENCH_USER_IDS.map(
      (id, k) =>
        `('${id}', 'bench${k}@example.test', 'Bench Agent ${k}', 'agent', 'en', 'x', 0, now(), now())`,
    );
    await client.query(
      `insert into users (id, email, name, role, locale, password_hash, disabled, created_at, updated_at) values ${users.join(',')}`,
    );
    const first = `array[${FIRST_NAMES.map((n) => `'${n}'`).join(',')}]`;
    const last = `array[${LAST_NAMES.map((n) => `'${n}'`).join(',')}]`;
    const n7 = `lpad(((g::bigint * 7919) % 10000000)::text, 7, '0')`;
    await client.query(`
      insert into contacts (id, first_name, last_name, display_name, sort_key, company_id, responsible_user_id, notes, do_not_call, created_at, updated_at)
      select '00000000-bench-7000-8000-c' || lpad(g::text, 8, '0') || '000',
             (${first})[1 + (g * 31 + 7) % ${FIRST_NAMES.length}],
             (${last})[1 + (g * 17 + 3) % ${LAST_NAMES.length}],
             (${first})[1 + (g * 31 + 7) % ${FIRST_NAMES.length}] || ' ' || (${last})[1 + (g * 17 + 3) % ${LAST_NAMES.length}],
             lower((${first})[1 + (g * 31 + 7) % ${FIRST_NAMES.length}] || ' ' || (${last})[1 + (g * 17 + 3) % ${LAST_NAMES.length}]),
             null, '${BENCH_USER_IDS[0]}', '', 0, now(), now()
      from generate_series(0, ${count - 1}) g`);
    await client.query(`
      insert into contact_phones (id, contact_id, raw, e164, label, position)
      select '00000000-bench-7000-8000-p' || lpad(g::text, 8, '0') || '000',
             '00000000-bench-7000-8000-c' || lpad(g::text, 8, '0') || '000',
             e164, e164, 'mobile', 0
      from (select g, case when g % 5 < 3 then '+3361' || ${n7} when g % 5 = 3 then '+7912' || ${n7}
                           else '+44780' || ${n7} end as e164
            from generate_series(0, ${count - 1}) g) s`);
    for (const index of indexes) {
      await client.query(index.indexdef);
    }
    await client.query('analyze contacts');
    await client.query('analyze contact_phones');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}
