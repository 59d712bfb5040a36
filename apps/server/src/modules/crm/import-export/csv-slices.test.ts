import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userActor } from '../../../platform/auth/actor.js';
import { timeSlicer } from '../../../platform/csv/time-slices.js';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';
import { importContacts, previewImport } from './contact-import.js';
import { exportContacts } from './csv-export.js';

const ROWS = 1200;

function bulkFile(prefix: string): string {
  const lines = ['First name,Last name,Phone'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(
      `${prefix}${i},Row,+33 1 42 68 ${String(10 + (i % 90)).padStart(2, '0')} ${String(i % 100).padStart(2, '0')}`,
    );
  }
  return lines.join('\n');
}

/** Counts the event-loop turns (a setImmediate chain) that ran while `work` was under way. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (running) {
      turns += 1;
      setImmediate(tick);
    }
  };
  setImmediate(tick);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    running = false;
  }
}

describe.each(TEST_DIALECTS)('long CSV jobs share the event loop on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('an import gives the loop a turn between its transactions, and imports every row', async () => {
    const slicer = timeSlicer();
    const { result, turns } = await turnsDuring(() =>
      importContacts({
        db: t.database.db,
        actor: userActor({ ...t.agent, locale: 'en' }),
        text: bulkFile('Slice'),
        defaultCountry: 'FR',
        slicer,
      }),
    );
    expect(result).toEqual({ imported: ROWS, rejected: [] });
    // At most 500 rows a transaction, and a turn before each one.
    expect(slicer.yields).toBeGreaterThanOrEqual(ROWS / 500);
    expect(turns).toBeGreaterThanOrEqual(ROWS / 500);
  }, 60_000);

  it('a preview checks every row in slices, letting the loop turn between them', async () => {
    const { result, turns } = await turnsDuring(() =>
      // A zero-length slice: a turn after every row, whatever the machine's speed.
      previewImport(bulkFile('Preview'), 'FR', timeSlicer(0)),
    );
    expect(result.total).toBe(ROWS);
    expect(result.errors).toEqual([]);
    expect(turns).toBeGreaterThanOrEqual(ROWS);
  });

  it('an export gives the loop a turn between its chunks', async () => {
    const { result, turns } = await turnsDuring(async () => {
      let text = '';
      for await (const chunk of exportContacts(t.database.db, {}, [])) {
        text += String(chunk);
      }
      return text;
    });
    const lines = result.split('\r\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(ROWS + 1);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(ROWS / 250));
  }, 60_000);
});
