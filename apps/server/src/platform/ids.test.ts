import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('is a UUID version 7 carrying its millisecond', () => {
    const at = Date.UTC(2026, 11, 6, 6, 0, 0, 123);
    const id = newId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('orders the ids of one millisecond as they were made, and starts afresh at the next', () => {
    const at = Date.UTC(2026, 11, 6, 6, 0, 1);
    const same = Array.from({ length: 1000 }, () => newId(at));
    expect([...same].sort()).toEqual(same);
    expect(new Set(same).size).toBe(1000);
    const next = newId(at + 1);
    expect(next > (same.at(-1) as string)).toBe(true);
  });
});
