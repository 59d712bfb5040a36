import { describe, expect, it } from 'vitest';
import { historyEvents, numberOfClid, type StatisticsCallRow } from './call-history.js';
import { foldCall } from './fold-call.js';

const base: StatisticsCallRow = {
  callId: '1759098756.12265976',
  sip: '101',
  callstart: '2026-01-14 10:00:00',
  clid: '33612345678',
  destination: '101',
  disposition: 'answered',
  seconds: 42,
  isRecorded: true,
  pbxCallId: 'in_0123456789abcdef0123456789abcdef01234567',
};

describe('numberOfClid', () => {
  it('reads the number in every clid form Zadarma is seen to send (§4.4)', () => {
    expect(numberOfClid('Name (48539923725)')).toBe('48539923725');
    expect(numberOfClid('"Caller" <+48515637746>')).toBe('+48515637746');
    expect(numberOfClid('48539923725')).toBe('48539923725');
    expect(numberOfClid('Name 101 (101)')).toBe('101');
  });
});

describe('historyEvents', () => {
  it('folds a recorded inbound row into the call a NOTIFY_START … NOTIFY_END would build', () => {
    const call = foldCall(historyEvents({ pbxCallId: base.pbxCallId, rows: [base] }, 'UTC+3', null));
    expect(call).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      startedAt: '2026-01-14T07:00:00.000Z',
      callerId: '33612345678',
      answeredBy: '101',
      duration: 42,
      isRecorded: true,
      recordingIds: ['1759098756.12265976'],
      ringingExtensions: ['101'],
    });
  });

  it('is a function of the rows only: the same history gives the same notifications', () => {
    const once = historyEvents({ pbxCallId: base.pbxCallId, rows: [base] }, 'UTC+3', null);
    const twice = historyEvents({ pbxCallId: base.pbxCallId, rows: [base] }, 'UTC+3', null);
    expect(twice).toEqual(once);
  });

  it('adds nothing to a call that already has its end, and refuses a row it cannot read', () => {
    const events = historyEvents({ pbxCallId: base.pbxCallId, rows: [base] }, 'UTC+3', null);
    expect(historyEvents({ pbxCallId: base.pbxCallId, rows: [base] }, 'UTC+3', foldCall(events))).toEqual([]);
    expect(() =>
      historyEvents(
        { pbxCallId: base.pbxCallId, rows: [{ ...base, callstart: '2026-02-30 10:00:00' }] },
        'UTC+3',
        null,
      ),
    ).toThrow(/not a real calendar date/);
    expect(() => historyEvents({ pbxCallId: 'x_1', rows: [base] }, 'UTC+3', null)).toThrow(/neither in_/);
  });

  it('reads an outbound leg: the extension placed it, the customer is its destination', () => {
    const row = {
      ...base,
      pbxCallId: 'out_1',
      sip: '102',
      destination: '33698765432',
      seconds: 65,
      isRecorded: false,
    };
    const call = foldCall(historyEvents({ pbxCallId: 'out_1', rows: [row] }, 'UTC+3', null));
    expect(call).toMatchObject({
      direction: 'outbound',
      status: 'answered',
      originExtension: '102',
      clientNumber: '33698765432',
      duration: 65,
    });
  });
});
