/**
 * The summing of a transaction's rollup additions (summed-upserts.ts), apart from any database: what reaches the
 * statements is one cell per statement and key, its measures summed, none whose sums are all zero, in the order
 * of statement then key. The databases' side is call-rollups.test.ts (counted writes, both dialects).
 */
import { describe, expect, it } from 'vitest';
import { type CellUpsert, createSummedUpserts } from './summed-upserts.js';

const HOUR = 'insert into hour_cells …';
const DAY = 'insert into day_cells …';

const upsert = (text: string, keys: (string | number)[], measures: number[]): CellUpsert => ({
  text,
  keys,
  measures,
});

describe('summed upserts', () => {
  it('sums the additions to one cell and keeps different cells apart', () => {
    const sums = createSummedUpserts();
    sums.add(upsert(HOUR, ['10:00', '101'], [1, 30, 5]));
    sums.add(upsert(HOUR, ['10:00', '101'], [1, 0, 7]));
    sums.add(upsert(HOUR, ['10:00', '102'], [1, 10, 0]));
    sums.add(upsert(DAY, ['10:00', '101'], [2, 0, 0]));
    expect(sums.take()).toEqual([
      { text: DAY, keys: ['10:00', '101'], measures: [2, 0, 0] },
      { text: HOUR, keys: ['10:00', '101'], measures: [2, 30, 12] },
      { text: HOUR, keys: ['10:00', '102'], measures: [1, 10, 0] },
    ]);
  });

  it('leaves out a cell whose additions cancel out (a call moved from one cell to another and back)', () => {
    const sums = createSummedUpserts();
    sums.add(upsert(HOUR, ['10:00', '101'], [1, 30, 0]));
    sums.add(upsert(HOUR, ['10:00', '101'], [-1, -30, 0]));
    sums.add(upsert(HOUR, ['11:00', '101'], [0, 0, 0]));
    expect(sums.take()).toEqual([]);
  });

  it('never merges two key lists, whatever characters the values hold (an extension comes from the PBX)', () => {
    const sums = createSummedUpserts();
    const keyLists = [
      ['a', 'bc'],
      ['ab', 'c'],
      ['a\u0000b', 'c'],
      ['a', 'b\u0000c'],
      ['1:a', ''],
      ['', '1:a'],
    ];
    for (const keys of keyLists) {
      sums.add(upsert(HOUR, keys, [1]));
    }
    const taken = sums.take();
    expect(taken).toHaveLength(keyLists.length);
    expect(taken.every((cell) => cell.measures[0] === 1)).toBe(true);
  });

  it('orders the cells by statement, then by key, whatever order they were added in, and starts afresh after', () => {
    const added = [
      upsert(HOUR, ['12:00', '101'], [1]),
      upsert(DAY, ['2026-12-06', '102'], [1]),
      upsert(HOUR, ['10:00', '101'], [1]),
      upsert(DAY, ['2026-12-06', '101'], [1]),
    ];
    const orders = [added, [...added].reverse()].map((list) => {
      const sums = createSummedUpserts();
      for (const cell of list) {
        sums.add(cell);
      }
      const taken = sums.take();
      expect(sums.take()).toEqual([]);
      return taken.map((cell) => `${cell.text}|${cell.keys.join(',')}`);
    });
    expect(orders[0]).toEqual(orders[1]);
    expect(orders[0]?.map((o) => o.split('|')[0])).toEqual([DAY, DAY, HOUR, HOUR]);
  });

  it('does not change the measures it was handed (an upsert may be added to several transactions)', () => {
    const sums = createSummedUpserts();
    const first = upsert(HOUR, ['10:00'], [1, 2]);
    sums.add(first);
    sums.add(upsert(HOUR, ['10:00'], [1, 2]));
    sums.take();
    expect(first.measures).toEqual([1, 2]);
  });
});
