import { describe, expect, it } from 'vitest';
import { apiQueryOf, callLogLink, filtersFromSearch, localDay } from './call-log-filters.js';

describe('call log filters', () => {
  it('round-trips through the URL a statistics link builds', () => {
    const link = callLogLink({ from: '2026-03-01', to: '2026-03-07', extension: '102', outcome: 'missed' });
    expect(link).toBe('/calls?from=2026-03-01&to=2026-03-07&extension=102&outcome=missed');
    const search = new URLSearchParams(link.split('?')[1]);
    expect(filtersFromSearch(search)).toEqual({
      from: '2026-03-01',
      to: '2026-03-07',
      extension: '102',
      outcome: 'missed',
    });
  });

  it('keeps a heatmap cell only as a weekday and an hour within a period, and sends the time zone', () => {
    const link = callLogLink({ from: '2026-03-01', to: '2026-03-31', weekday: '0', hour: '10' });
    const filters = filtersFromSearch(new URLSearchParams(link.split('?')[1]));
    expect(filters).toEqual({ from: '2026-03-01', to: '2026-03-31', weekday: '0', hour: '10' });
    expect(apiQueryOf(filters).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(filtersFromSearch(new URLSearchParams('weekday=0&hour=10'))).toEqual({});
    expect(filtersFromSearch(new URLSearchParams('from=2026-03-01&to=2026-03-02&weekday=7&hour=24'))).toEqual(
      {
        from: '2026-03-01',
        to: '2026-03-02',
      },
    );
    expect(apiQueryOf({ from: '2026-03-01' }).timeZone).toBeUndefined();
  });

  it('drops malformed days and directions from a hand-edited URL', () => {
    expect(filtersFromSearch(new URLSearchParams('from=yesterday&direction=sideways&to=2026-03-07'))).toEqual(
      {
        to: '2026-03-07',
      },
    );
  });

  it('sends the local days as the instants they start and end at', () => {
    const query = apiQueryOf({ from: '2026-03-01', to: '2026-03-01' });
    expect(Date.parse(query.to as string) - Date.parse(query.from as string)).toBeGreaterThanOrEqual(
      23 * 3_600_000,
    );
    expect(new Date(query.from as string).getDate()).toBe(1);
    expect(localDay(new Date(2026, 2, 31), 1)).toBe('2026-04-01');
  });
});
