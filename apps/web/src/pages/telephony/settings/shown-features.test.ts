import { describe, expect, it } from 'vitest';
import { SHOWN_TELEPHONY_FEATURES, withFeature } from './shown-features.js';

describe('telephony feature switches on the settings page', () => {
  it('hides auto-creation and missed-call call-backs, which the server does not act on yet', () => {
    expect(SHOWN_TELEPHONY_FEATURES).toEqual(['routeToResponsible', 'callerName', 'blacklist']);
  });

  it('sends the hidden switches back as stored when another one is switched', () => {
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
