import { describe, expect, it } from 'vitest';
import { decideRouting, type RouteCandidate, type RoutingInput } from './routing-policy.js';

const ALL_ON = { routeToResponsible: true, callerName: true, blacklist: true };

function candidate(overrides: Partial<RouteCandidate> = {}): RouteCandidate {
  return {
    step: 'contact',
    userId: 'u-olga',
    recordId: 'contact-1',
    extension: '101',
    online: true,
    withinHours: true,
    ...overrides,
  };
}

const known: RoutingInput = {
  callerNumber: '442037691880',
  contactId: 'contact-1',
  blacklistedBy: null,
  switches: ALL_ON,
  blacklistAction: 'busy',
  candidates: [candidate()],
  returnTimeout: 20,
  callerName: 'ACME Ltd — John Smith',
};

describe('decideRouting', () => {
  it('routes a known caller to the first owner who can take the call, names them, and says why', () => {
    const decision = decideRouting(known);
    expect(decision.reply).toEqual({
      redirect: '101',
      return_timeout: 20,
      caller_name: 'ACME Ltd — John Smith',
    });
    expect(decision.trace.map((s) => s.code)).toEqual(['knownCaller', 'routed', 'callerName']);
    expect(decision.reason).toContain('routed to 101 — responsible for the contact contact-1');
  });

  it('walks the chain in order: a deal owner offline and a lead owner out of hours are skipped, with the reason', () => {
    const decision = decideRouting({
      ...known,
      candidates: [
        candidate({ step: 'deal', userId: 'u-tom', recordId: 'deal-42', extension: '102', online: false }),
        candidate({
          step: 'lead',
          userId: 'u-nina',
          recordId: 'lead-7',
          extension: '103',
          withinHours: false,
        }),
        candidate({ step: 'contact' }),
      ],
    });
    expect(decision.reply.redirect).toBe('101');
    expect(decision.trace.slice(1, 4)).toEqual([
      { code: 'offline', params: { step: 'deal', userId: 'u-tom', extension: '102', record: 'deal-42' } },
      {
        code: 'outsideHours',
        params: { step: 'lead', userId: 'u-nina', extension: '103', record: 'lead-7' },
      },
      {
        code: 'routed',
        params: { step: 'contact', userId: 'u-olga', extension: '101', record: 'contact-1' },
      },
    ]);
    expect(decision.reason).toContain('102 skipped — offline (responsible for the open deal deal-42)');
  });

  it('says each step that found nobody, tries an owner once, and leaves the call to the PBX when all fail', () => {
    const decision = decideRouting({
      ...known,
      candidates: [
        candidate({ step: 'deal', userId: null, recordId: null, extension: null }),
        candidate({ step: 'contact', online: false }),
        candidate({ step: 'lastAgent', recordId: null, online: false }),
        candidate({ step: 'defaultResponsible', userId: 'u-admin', recordId: null, extension: null }),
      ],
    });
    expect(decision.reply).toEqual({ caller_name: 'ACME Ltd — John Smith' });
    expect(decision.trace.map((s) => s.code)).toEqual([
      'knownCaller',
      'stepNone',
      'offline',
      'noExtension',
      'pbxScenario',
      'callerName',
    ]);
  });

  it('refuses a blacklisted caller with busy or a hang-up, and names nothing', () => {
    expect(decideRouting({ ...known, blacklistedBy: '+4420' }).reply).toEqual({ redirect: 'blacklist' });
    const hung = decideRouting({ ...known, blacklistedBy: '+4420', blacklistAction: 'hangup' });
    expect(hung.reply).toEqual({ hangup: 1 });
    expect(hung.trace).toEqual([{ code: 'blacklisted', params: { entry: '+4420', action: 'hangup' } }]);
  });

  it('routes a blacklisted caller as any other while the blacklist is off, and says so', () => {
    const decision = decideRouting({
      ...known,
      blacklistedBy: '+442037691880',
      switches: { ...ALL_ON, blacklist: false },
    });
    expect(decision.reply.redirect).toBe('101');
    expect(decision.trace[0]).toEqual({ code: 'blacklistOff', params: { entry: '+442037691880' } });
  });

  it('with every switch off answers {} whatever it knows', () => {
    const decision = decideRouting({
      ...known,
      blacklistedBy: '+44',
      switches: { routeToResponsible: false, callerName: false, blacklist: false },
    });
    expect(decision.reply).toEqual({});
    expect(decision.trace.map((s) => s.code)).toEqual(['blacklistOff', 'knownCaller', 'routingOff']);
  });

  it('names an unknown caller with the label it was given, and leaves them to the PBX scenario', () => {
    const decision = decideRouting({
      ...known,
      contactId: null,
      candidates: [candidate({ step: 'defaultResponsible', recordId: null, extension: '100' })],
      callerName: 'Missed you 3× today',
    });
    expect(decision.reply).toEqual({ caller_name: 'Missed you 3× today' });
    expect(decision.trace.map((s) => s.code)).toEqual(['unknownCaller', 'pbxScenario', 'callerName']);
  });

  it('leaves hidden callers to the PBX, refuses a malformed extension, and keeps return_timeout valid', () => {
    expect(decideRouting({ ...known, callerNumber: '' }).reply).toEqual({});
    const bad = decideRouting({ ...known, candidates: [candidate({ extension: '12' })] });
    expect(bad.reply.redirect).toBeUndefined();
    expect(bad.trace[1]?.code).toBe('badExtension');
    expect(decideRouting({ ...known, returnTimeout: 1 }).reply.return_timeout).toBe(3);
    expect(decideRouting({ ...known, returnTimeout: 0 }).reply.return_timeout).toBe(0);
    expect(decideRouting({ ...known, returnTimeout: -1 }).reply).not.toHaveProperty('return_timeout');
  });

  it('tries an unknown presence (null) rather than skip it: return_timeout hands an unanswered call back', () => {
    expect(decideRouting({ ...known, candidates: [candidate({ online: null })] }).reply.redirect).toBe('101');
  });
});
