import { describe, expect, it } from 'vitest';
import { SHOWN_TELEPHONY_FEATURES, withFeature } from './shown-features.js';

describe('telephony feature switches on the settings page', () => {
  it('leaves new callers and missed-call call-backs to their own cards', () => {
    expect(SHOWN_TELEPHONY_FEATURES).toEqual(['routeToResponsible', 'callerName', 'blacklist']);
  });

  it('sends the other switches back as stored when another one is switched', () => {
    const stored = {
      autoCreate: true,
      routeToResponsible: true,
      callerName: true,
      missedCallTasks: true,
      blacklist: true,
    };
    expect(withFeature(stored, 'blacklist', false)).toEqual({ ...stored, blacklist: false });
  });
});
