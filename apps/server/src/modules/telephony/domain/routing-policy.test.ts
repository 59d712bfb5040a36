import { describe, expect, it } from 'vitest';
import {
  CALLER_NAME_MAX_LENGTH,
  decideRouting,
  formatCallerName,
  type RoutingInput,
} from './routing-policy.js';

const ALL_ON = { routeToResponsible: true, callerName: true, blacklist: true };

const known: RoutingInput = {
  callerNumber: '442037691880',
  contact: { name: 'John Smith', company: 'ACME Ltd', responsibleExtension: '101', doNotCall: false },
  blacklisted: false,
  switches: ALL_ON,
  returnTimeout: 20,
  extensionOnline: true,
};

describe('decideRouting', () => {
  it('routes a known caller to the responsible extension and names them', () => {
    const decision = decideRouting(known);
    expect(decision.reply).toEqual({
      redirect: '101',
      return_timeout: 20,
      caller_name: 'ACME Ltd — John Smith',
    });
    expect(decision.reason).toBe('known caller; routed to responsible extension 101; caller name set');
  });

  it.each(['', '0', '+0', '  ', 'anonymous'])(
    'leaves a hidden caller (%j) to the PBX scenario',
    (callerNumber) => {
      expect(decideRouting({ ...known, callerNumber, blacklisted: true })).toEqual({
        reply: {},
        reason: 'hidden caller: PBX scenario',
      });
    },
  );

  it('rejects a blacklisted caller with busy, without naming or routing them', () => {
    expect(decideRouting({ ...known, blacklisted: true })).toEqual({
      reply: { redirect: 'blacklist' },
      reason: 'caller is blacklisted: rejected with busy',
    });
  });

  it('rejects a blacklisted unknown caller too', () => {
    expect(decideRouting({ ...known, contact: null, blacklisted: true }).reply).toEqual({
      redirect: 'blacklist',
    });
  });

  it('lets a blacklisted caller through when the blacklist switch is off, and says so', () => {
    const decision = decideRouting({
      ...known,
      blacklisted: true,
      switches: { ...ALL_ON, blacklist: false },
    });
    expect(decision.reply.redirect).toBe('101');
    expect(decision.reason).toMatch(/^caller is blacklisted but the blacklist is off; known caller/);
  });

  it('leaves an unknown caller to the PBX scenario', () => {
    expect(decideRouting({ ...known, contact: null })).toEqual({
      reply: {},
      reason: 'unknown caller: PBX scenario',
    });
  });

  it('only names the caller when routing is off', () => {
    const decision = decideRouting({ ...known, switches: { ...ALL_ON, routeToResponsible: false } });
    expect(decision.reply).toEqual({ caller_name: 'ACME Ltd — John Smith' });
    expect(decision.reason).toContain('routing to the responsible user is off');
  });

  it('only routes when caller names are off', () => {
    expect(decideRouting({ ...known, switches: { ...ALL_ON, callerName: false } }).reply).toEqual({
      redirect: '101',
      return_timeout: 20,
    });
  });

  it('returns {} for a known caller when every switch is off', () => {
    const decision = decideRouting({
      ...known,
      switches: { routeToResponsible: false, callerName: false, blacklist: false },
    });
    expect(decision.reply).toEqual({});
  });

  it('does not route when the responsible user has no extension', () => {
    const decision = decideRouting({ ...known, contact: { ...known.contact!, responsibleExtension: null } });
    expect(decision.reply).toEqual({ caller_name: 'ACME Ltd — John Smith' });
    expect(decision.reason).toContain('no responsible extension');
  });

  it('does not route to an extension that is not 3–5 digits', () => {
    const decision = decideRouting({ ...known, contact: { ...known.contact!, responsibleExtension: '12' } });
    expect(decision.reply.redirect).toBeUndefined();
    expect(decision.reason).toContain('"12" is not 3–5 digits');
  });

  it('does not route to an offline extension', () => {
    const decision = decideRouting({ ...known, extensionOnline: false });
    expect(decision.reply).toEqual({ caller_name: 'ACME Ltd — John Smith' });
    expect(decision.reason).toContain('responsible extension 101 is offline');
  });

  it('routes when the extension state is unknown, relying on return_timeout', () => {
    expect(decideRouting({ ...known, extensionOnline: null }).reply.redirect).toBe('101');
  });

  it('routes a do-not-call contact calling in, noting the flag', () => {
    const decision = decideRouting({ ...known, contact: { ...known.contact!, doNotCall: true } });
    expect(decision.reply.redirect).toBe('101');
    expect(decision.reason).toContain('do-not-call applies to outbound calls only');
  });

  it.each([
    [0, 0],
    [1, 3],
    [2, 3],
    [3, 3],
    [20.4, 20],
  ])('sends return_timeout %d as %d (0 or ≥ 3, §6.1)', (given, sent) => {
    expect(decideRouting({ ...known, returnTimeout: given }).reply.return_timeout).toBe(sent);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('omits an invalid return_timeout (%d)', (given) => {
    const reply = decideRouting({ ...known, returnTimeout: given }).reply;
    expect(reply.redirect).toBe('101');
    expect('return_timeout' in reply).toBe(false);
  });

  it('skips caller_name when the contact has no printable name or company', () => {
    const decision = decideRouting({
      ...known,
      contact: { ...known.contact!, name: ' \u0000 ', company: null },
    });
    expect(decision.reply).toEqual({ redirect: '101', return_timeout: 20 });
    expect(decision.reason).toContain('no name to show');
  });
});

describe('formatCallerName', () => {
  it('shows Company — Name when it fits', () => {
    expect(formatCallerName('Иван Петров', 'ООО Ромашка')).toBe('ООО Ромашка — Иван Петров');
  });

  it('shortens the company first and keeps the name whole', () => {
    const name = formatCallerName('Jean Dupont', 'Société Générale des Télécommunications');
    expect(name).toBe('Société Général… — Jean Dupont');
    expect(Array.from(name)).toHaveLength(CALLER_NAME_MAX_LENGTH);
  });

  it('drops the company when the name alone nearly fills the screen', () => {
    expect(formatCallerName('Александра Константиновна Б.', 'ACME')).toBe('Александра Константиновна Б.');
  });

  it('truncates a very long name with an ellipsis at 30 characters', () => {
    const name = formatCallerName('Maximilian Alexander von Hohenzollern-Sigmaringen', null);
    expect(Array.from(name)).toHaveLength(30);
    expect(name.endsWith('…')).toBe(true);
  });

  it('never cuts inside a grapheme (flags, combining accents)', () => {
    const name = formatCallerName('🇫🇷'.repeat(40), null);
    expect(name).toBe(`${'🇫🇷'.repeat(29)}…`);
  });

  it('removes quotes, backslashes and control characters that would break a SIP display name', () => {
    expect(formatCallerName('Bob "the\\builder"\n', null)).toBe('Bob the builder');
  });

  it('uses the company when the contact has no name', () => {
    expect(formatCallerName('', 'ACME Ltd')).toBe('ACME Ltd');
  });
});
