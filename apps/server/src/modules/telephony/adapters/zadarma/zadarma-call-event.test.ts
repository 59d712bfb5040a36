import { readWebhook, SIGNED_FIELDS, type TWebhookEvent } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import type { CallEventKind } from '../../domain/call-event.js';
import { SIGNED_CLAIMS, type SignedClaim } from '../../domain/call-identity.js';
import { foldCall } from '../../domain/fold-call.js';
import { toCallEvent, webhookFreshness } from './zadarma-call-event.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const START_SIGNATURE = 'MGRhZjkyYWEyMDgyNzI2NjFmZTE1MzEzNTVmYWIwYjg5NmQ2NGFlYw==';
const ID = 'in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4';
const context = { timezone: 'UTC+3', receivedAt: '2024-05-14T07:15:31.000Z' };

/** Reads a body of docs/zadarma-protocol.md §5.6 through the SDK, as the /zadarma route will. */
function read(body: string, signature: string): TWebhookEvent {
  const result = readWebhook({
    method: 'POST',
    headers: { signature },
    body: Buffer.from(body),
    contentType: 'application/x-www-form-urlencoded',
    secret: SECRET,
  });
  if (result.kind !== 'event') {
    throw new Error(`expected a verified event, got ${JSON.stringify(result)}`);
  }
  return result.event;
}

describe('toCallEvent', () => {
  it('maps the §5.6.1 NOTIFY_START vector, converting call_start with the account timezone', () => {
    const event = read(
      `event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${ID}&caller_id=442037691880&called_did=442037691999`,
      START_SIGNATURE,
    );
    expect(toCallEvent(event, context)).toEqual({
      kind: 'start',
      pbxCallId: ID,
      receivedAt: '2024-05-14T07:15:31.000Z',
      callStart: '2024-05-14 10:15:30',
      startedAt: '2024-05-14T07:15:30.000Z',
      calltype: null,
      callerId: '442037691880',
      calledDid: '442037691999',
    });
  });

  it('maps the §5.6.4 answered, recorded NOTIFY_END and folds it into an answered call', () => {
    const event = read(
      `event=NOTIFY_END&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${ID}&caller_id=442037691880&called_did=442037691999&internal=101&duration=67&status_code=16&is_recorded=1&call_id_with_rec=1715681730.4567890&last_internal=101&calltype=normal&disposition=answered`,
      START_SIGNATURE,
    );
    const mapped = toCallEvent(event, context);
    expect(mapped).toMatchObject({
      kind: 'end',
      extension: '101',
      lastInternal: '101',
      duration: 67,
      disposition: 'answered',
      statusCode: '16',
      isRecorded: true,
      recordingId: '1715681730.4567890',
      calltype: 'normal',
    });
    expect(foldCall([mapped!])).toMatchObject({
      status: 'answered',
      answeredBy: '101',
      direction: 'inbound',
    });
  });

  it('treats the empty optional fields of a missed call as absent', () => {
    const event = {
      event: 'NOTIFY_END',
      call_start: '2025-07-18 19:14:42',
      pbx_call_id: 'in_7b618797e2654085071c36bfd9d6a2abef798f75',
      caller_id: '+0930063585',
      called_did: '380733103110',
      duration: '0',
      status_code: '16',
      is_recorded: '0',
      calltype: 'normal',
      disposition: 'cancel',
      internal: '',
    } as TWebhookEvent;
    expect(toCallEvent(event, context)).toMatchObject({
      extension: null,
      lastInternal: null,
      recordingId: null,
      isRecorded: false,
      startedAt: '2025-07-18T16:14:42.000Z',
    });
  });

  it('maps outbound events, a recording notice, and an unparseable call_start to a null instant', () => {
    const outEnd = {
      event: 'NOTIFY_OUT_END',
      call_start: 'garbage',
      pbx_call_id: 'out_9b1c',
      caller_id: '0',
      destination: '442037691881',
      internal: '102',
      duration: 'x',
      disposition: 'busy',
    } as TWebhookEvent;
    expect(toCallEvent(outEnd, context)).toMatchObject({
      kind: 'out_end',
      startedAt: null,
      duration: 0,
      extension: '102',
      callerId: '0',
      statusCode: null,
    });
    const record = {
      event: 'NOTIFY_RECORD',
      pbx_call_id: 'out_9b1c',
      call_id_with_rec: '17.1',
    } as TWebhookEvent;
    expect(toCallEvent(record, context)).toEqual({
      kind: 'record',
      pbxCallId: 'out_9b1c',
      recordingId: '17.1',
      receivedAt: context.receivedAt,
    });
  });

  it('returns null for events that are not about a call lifecycle', () => {
    const sms = { event: 'SMS', result: '{}', data: {} } as unknown as TWebhookEvent;
    expect(toCallEvent(sms, context)).toBeNull();
  });

  it('maps the domain’s signed claims onto exactly the fields the SDK verifies', () => {
    const wire: Record<SignedClaim, string> = {
      callStart: 'call_start',
      callerId: 'caller_id',
      calledDid: 'called_did',
      destination: 'destination',
      extension: 'internal',
    };
    const names: Record<CallEventKind, keyof typeof SIGNED_FIELDS> = {
      start: 'NOTIFY_START',
      internal: 'NOTIFY_INTERNAL',
      answer: 'NOTIFY_ANSWER',
      end: 'NOTIFY_END',
      out_start: 'NOTIFY_OUT_START',
      out_end: 'NOTIFY_OUT_END',
      record: 'NOTIFY_RECORD',
    };
    for (const [kind, name] of Object.entries(names) as [CallEventKind, keyof typeof SIGNED_FIELDS][]) {
      // NOTIFY_RECORD's pbx_call_id and call_id_with_rec bind it to its call by themselves.
      const fields = SIGNED_FIELDS[name].filter((f) => f !== 'pbx_call_id' && f !== 'call_id_with_rec');
      expect(SIGNED_CLAIMS[kind].map((claim) => wire[claim]).sort()).toEqual([...fields].sort());
    }
  });
});

describe('webhookFreshness', () => {
  const end = {
    event: 'NOTIFY_END',
    call_start: '2024-05-14 10:15:30',
    pbx_call_id: ID,
    caller_id: '442037691880',
    called_did: '442037691999',
    duration: '42',
    disposition: 'answered',
  } as TWebhookEvent;

  it('checks call_start against the receipt time in the account timezone, and an end’s duration', () => {
    expect(webhookFreshness(end, 'UTC+3', '2024-05-14T07:16:30.000Z')).toEqual({ ok: true });
    expect(webhookFreshness(end, 'UTC+3', '2024-05-14T12:00:00.000Z')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^stale:/),
    });
    // The captured START signature replayed as an END claiming 99,999 s, one minute after the start.
    const forged = { ...end, duration: '99999' } as TWebhookEvent;
    expect(webhookFreshness(forged, 'UTC+3', '2024-05-14T07:16:30.000Z')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^implausible duration: 99999 s/),
    });
    expect(
      webhookFreshness(end, 'UTC+3', Date.parse('2024-05-14T07:16:30.000Z'), { maxAgeMs: 1000 }),
    ).toMatchObject({
      ok: false,
    });
  });

  it('has nothing to check in a NOTIFY_RECORD or an event without call_start', () => {
    const record = { event: 'NOTIFY_RECORD', pbx_call_id: ID, call_id_with_rec: '1.2' } as TWebhookEvent;
    expect(webhookFreshness(record, 'UTC+3', '2030-01-01T00:00:00.000Z')).toEqual({ ok: true });
    const sms = { event: 'SMS', result: '{}' } as unknown as TWebhookEvent;
    expect(webhookFreshness(sms, 'UTC+3', '2030-01-01T00:00:00.000Z')).toEqual({ ok: true });
  });
});
