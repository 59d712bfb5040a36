import { describe, expect, it } from 'vitest';
import { activityPayloadJson, eventFromPayload } from './record-activity.js';

describe('timeline event payloads', () => {
  it('stores the event beside an existing payload object and reads it back', () => {
    const json = activityPayloadJson(
      { changed: ['phones'] },
      { type: 'record.changed', params: { fields: 'phones' } },
    );
    expect(JSON.parse(json ?? '')).toEqual({
      changed: ['phones'],
      event: { type: 'record.changed', params: { fields: 'phones' } },
    });
    expect(eventFromPayload(json)).toEqual({ type: 'record.changed', params: { fields: 'phones' } });
  });

  it('keeps payloads without an event unchanged', () => {
    expect(activityPayloadJson(undefined, undefined)).toBeNull();
    expect(activityPayloadJson({ dueAt: null }, undefined)).toBe('{"dueAt":null}');
    expect(activityPayloadJson(undefined, { type: 'x', params: {} })).toBe(
      '{"event":{"type":"x","params":{}}}',
    );
  });

  it('finds no event in old, foreign or malformed payloads and drops non-scalar params', () => {
    expect(eventFromPayload(null)).toBeUndefined();
    expect(eventFromPayload('not json')).toBeUndefined();
    expect(eventFromPayload('{"changed":["a"]}')).toBeUndefined();
    expect(eventFromPayload('{"event":{"type":3,"params":{}}}')).toBeUndefined();
    expect(eventFromPayload('{"event":{"type":"a","params":[1]}}')).toBeUndefined();
    expect(eventFromPayload('{"event":{"type":"a","params":{"n":1,"s":"x","o":{},"z":null}}}')).toEqual({
      type: 'a',
      params: { n: 1, s: 'x' },
    });
  });
});
