import { describe, expect, it } from 'vitest';
import { createRefusalBudget, SMALL_BODY_BYTES } from './refusal-budget.js';

describe('the refusal budget of /zadarma sources', () => {
  it('stops reading large bodies from a source once its refusals spend the budget, and forgives over time', () => {
    let now = 0;
    const budget = createRefusalBudget({ capacity: 3, refillPerSecond: 1, now: () => now });
    const large = 64 * 1024;
    for (let i = 0; i < 3; i++) {
      expect(budget.mayRead('203.0.113.9', large)).toBe(true);
      budget.charge('203.0.113.9');
    }
    expect(budget.mayRead('203.0.113.9', large)).toBe(false);
    expect(budget.mayRead('203.0.113.9', Number.NaN)).toBe(false);
    // Small bodies (every real call notification) are always read; other sources are not affected.
    expect(budget.mayRead('203.0.113.9', SMALL_BODY_BYTES)).toBe(true);
    expect(budget.mayRead('198.51.100.7', large)).toBe(true);
    now += 1000;
    expect(budget.mayRead('203.0.113.9', large)).toBe(true);
  });

  it('remembers a bounded number of sources, forgetting the least recently refused', () => {
    const budget = createRefusalBudget({ capacity: 1, refillPerSecond: 0, maxSources: 2, now: () => 0 });
    budget.charge('a');
    budget.charge('b');
    budget.charge('a');
    budget.charge('c');
    expect(budget.mayRead('a', 1e6)).toBe(false);
    expect(budget.mayRead('c', 1e6)).toBe(false);
    expect(budget.mayRead('b', 1e6)).toBe(true);
  });
});
