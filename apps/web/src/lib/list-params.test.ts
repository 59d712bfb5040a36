import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listQuery, readListParams, toggleSort, writeListParams } from './list-params.js';

const defaults = { sort: 'lastName' };

describe('list params in the URL', () => {
  it('reads defaults from an empty URL', () => {
    expect(readListParams(new URLSearchParams(), defaults)).toEqual({
      q: '',
      page: 1,
      pageSize: 25,
      sort: 'lastName',
      filters: {},
    });
  });
  it('rejects a bad page and an unsupported page size', () => {
    const params = readListParams(new URLSearchParams('page=-3&pageSize=7'), defaults);
    expect(params.page).toBe(1);
    expect(params.pageSize).toBe(25);
  });
  it('keeps unknown keys as filters and omits defaults when written back', () => {
    const params = readListParams(new URLSearchParams('q=06&doNotCall=true&page=2'), defaults);
    expect(params.filters).toEqual({ doNotCall: 'true' });
    expect(writeListParams(params, defaults).toString()).toBe('q=06&doNotCall=true&page=2');
  });
  it('round-trips any list state through the URL', () => {
    fc.assert(
      fc.property(
        fc.record({
          q: fc.string(),
          page: fc.integer({ min: 1, max: 500 }),
          pageSize: fc.constantFrom(10, 25, 50, 100),
          sort: fc.constantFrom('lastName', '-lastName', 'createdAt', '-createdAt'),
          filters: fc.dictionary(
            fc.constantFrom('responsibleUserId', 'companyId', 'doNotCall', 'status'),
            fc.string({ minLength: 1 }),
          ),
        }),
        (params) => {
          const url = new URLSearchParams(writeListParams(params, defaults).toString());
          expect(readListParams(url, defaults)).toEqual(params);
        },
      ),
    );
  });
  it('sorts ascending first, then descending, then ascending again', () => {
    expect(toggleSort('lastName', 'createdAt')).toBe('createdAt');
    expect(toggleSort('createdAt', 'createdAt')).toBe('-createdAt');
    expect(toggleSort('-createdAt', 'createdAt')).toBe('createdAt');
  });
  it('builds the API query with filters, search, sort and paging', () => {
    const params = readListParams(new URLSearchParams('q=x&companyId=c1&sort=-createdAt&page=3'), defaults);
    expect(listQuery(params)).toEqual({ companyId: 'c1', q: 'x', page: 3, pageSize: 25, sort: '-createdAt' });
  });
});
