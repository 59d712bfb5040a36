import { describe, expect, it } from 'vitest';
import { decodeUrlEncoded, phpArrayToObject } from './form-decode.js';
import { verifyWebhookSignature, webhookSignature, webhookSignatureString } from './webhook-signature.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const IN = 'in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4';
const OUT = 'out_9b1c7d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c';
const START_SIG = 'MGRhZjkyYWEyMDgyNzI2NjFmZTE1MzEzNTVmYWIwYjg5NmQ2NGFlYw==';
const OUT_SIG = 'YjkxN2M0NzJlZmQ3YjE3OTEzOGU0OGY2OWEyOTJkYzJiNTcxOWY0OQ==';

/** docs/zadarma-protocol.md §5.6 — bodies as Zadarma posts them, with the Signature it sends. */
const VECTORS: { name: string; body: string; signed?: string; signature: string }[] = [
  {
    name: 'NOTIFY_START',
    body: `event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999`,
    signed: '4420376918804420376919992024-05-14 10:15:30',
    signature: START_SIG,
  },
  {
    name: 'NOTIFY_START with a + in caller_id',
    body: `event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=%2B442037691880&called_did=442037691999`,
    signed: '+4420376918804420376919992024-05-14 10:15:30',
    signature: 'NjczZjA5ZmRjYzM1MTU0MzJjOTIyN2NlOWM2ZDFkNmFkMzE4YjI5NQ==',
  },
  {
    name: 'NOTIFY_INTERNAL',
    body: `event=NOTIFY_INTERNAL&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999&internal=101&calltype=normal`,
    signature: START_SIG,
  },
  {
    name: 'NOTIFY_ANSWER',
    body: `event=NOTIFY_ANSWER&caller_id=442037691880&destination=101&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&internal=101`,
    signed: '4420376918801012024-05-14 10:15:30',
    signature: 'MjdjOTE4NmRhNjJkZWQwYTQxZTg1ZjIyNjRmYTQ5ZDgyYzFkYTllZA==',
  },
  {
    name: 'NOTIFY_END',
    body: `event=NOTIFY_END&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999&internal=101&duration=67&status_code=16&is_recorded=1&call_id_with_rec=1715681730.4567890&last_internal=101&calltype=normal&disposition=answered`,
    signature: START_SIG,
  },
  {
    name: 'NOTIFY_OUT_START',
    body: `event=NOTIFY_OUT_START&call_start=2024-05-14+11%3A02%3A07&pbx_call_id=${OUT}&internal=102&destination=442037691881&caller_id=442037691999`,
    signed: '1024420376918812024-05-14 11:02:07',
    signature: OUT_SIG,
  },
  {
    name: 'NOTIFY_OUT_START without internal',
    body: `event=NOTIFY_OUT_START&call_start=2024-05-14+11%3A02%3A07&pbx_call_id=${OUT}&destination=442037691881&caller_id=442037691999`,
    signed: '4420376918812024-05-14 11:02:07',
    signature: 'MjA0YTkxZWViNmVkOTg3M2NiMDg4ZTUzZjU4OGU5ZmZkYzk3OWFkYw==',
  },
  {
    name: 'NOTIFY_OUT_END',
    body: `event=NOTIFY_OUT_END&call_start=2024-05-14+11%3A02%3A07&pbx_call_id=${OUT}&caller_id=442037691999&destination=442037691881&internal=102&duration=35&status_code=16&is_recorded=1&call_id_with_rec=1715684527.4568123&calltype=normal&disposition=answered`,
    signature: OUT_SIG,
  },
  {
    name: 'NOTIFY_RECORD',
    body: `event=NOTIFY_RECORD&call_id_with_rec=1715681730.4567890&pbx_call_id=${IN}`,
    signed: `${IN}1715681730.4567890`,
    signature: 'MmUyNDk5ZTc5ZmIxNWIwOTk1NDA3ZjVlMmYxZmVkNTg3MzYwYjFiYQ==',
  },
  {
    name: 'NOTIFY_IVR',
    body: `event=NOTIFY_IVR&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999&wait_dtmf%5Bname%5D=main_menu&wait_dtmf%5Bdigits%5D=2`,
    signature: START_SIG,
  },
  {
    name: 'SMS',
    body: 'event=SMS&result=%7B%22caller_did%22%3A%22442037691999%22%2C%22caller_id%22%3A%22442037691880%22%2C%22text%22%3A%22Hello+from+a+customer%22%7D',
    signed: '{"caller_did":"442037691999","caller_id":"442037691880","text":"Hello from a customer"}',
    signature: 'MWNmMzE5NDgwN2Q2NDhjZDk2N2RkN2RmODBmN2I4NjlhNTYyMGQ0NQ==',
  },
  {
    name: 'NUMBER_LOOKUP',
    body: `event=NUMBER_LOOKUP&result=${encodeURIComponent('{"mcc":"234","mnc":"10","mccName":"United Kingdom","mncName":"O2","ported":false,"roaming":false,"errorDescription":"No Error","number":"447700900123"}')}`,
    signature: 'YmEyYWUxYmM0YjQwODZlMGZmMGEwMTgwZDc1YTg5YmQyZTUwYmNkZQ==',
  },
  {
    name: 'CALL_TRACKING',
    body: `event=CALL_TRACKING&result=${encodeURIComponent('{"synthetic":"call tracking payload shape not documented"}')}`,
    signature: 'ZjkzMGU5ZGQ2MDY3NmFhOGQ0ZGJlZDg2MDQxMDRmMTMxZDM1MjU3MA==',
  },
  {
    name: 'SPEECH_RECOGNITION',
    body: `event=SPEECH_RECOGNITION&result=${encodeURIComponent('{"words":[{"result":[{"s":0.02,"e":0.22,"w":"hello"}],"channel":1}]}')}`,
    signature: 'ZjIyZTY4OTUyMzE4NzcyYTQwMGIxN2YwZTJiNTY4NGE2MDkyMzIwNg==',
  },
  {
    name: 'DOCUMENT',
    body: `event=DOCUMENT&result=${encodeURIComponent('{"synthetic":"document payload shape not documented"}')}`,
    signature: 'MjFiNzQyNGFkODEzYWM2NmU2YWJlNjExYTk4OGFmNGI0ZTllZmM4OA==',
  },
];

describe('webhook Signature — docs/zadarma-protocol.md §5.6 golden vectors', () => {
  for (const v of VECTORS) {
    it(`${v.name}: signs and verifies the decoded body`, () => {
      const fields = phpArrayToObject(decodeUrlEncoded(v.body));
      if (v.signed !== undefined) {
        expect(webhookSignatureString(fields)).toBe(v.signed);
      }
      expect(webhookSignature(fields, SECRET)).toBe(v.signature);
      expect(verifyWebhookSignature(fields, v.signature, SECRET)).toBe(true);
    });
  }

  it('fails closed: missing header, empty secret, unknown event, wrong secret, changed field', () => {
    const fields = phpArrayToObject(decodeUrlEncoded(VECTORS[0]!.body));
    expect(verifyWebhookSignature(fields, undefined, SECRET)).toBe(false);
    expect(verifyWebhookSignature(fields, '', SECRET)).toBe(false);
    expect(verifyWebhookSignature(fields, START_SIG, '')).toBe(false);
    expect(verifyWebhookSignature(fields, START_SIG, 'another-secret')).toBe(false);
    expect(verifyWebhookSignature({ ...fields, caller_id: '442037691881' }, START_SIG, SECRET)).toBe(false);
    expect(verifyWebhookSignature({ ...fields, event: 'NOTIFY_UNKNOWN' }, START_SIG, SECRET)).toBe(false);
    // The raw-digest form that the official TS client expects is not what Zadarma sends.
    expect(verifyWebhookSignature(fields, 'Da+SqiCCcmYf4VMTVfqwuJbWSuw=', SECRET)).toBe(false);
  });

  it('keeps nested bracket fields as nested values', () => {
    const fields = phpArrayToObject(decodeUrlEncoded(VECTORS[9]!.body));
    expect(fields.wait_dtmf).toEqual({ name: 'main_menu', digits: '2' });
  });
});
