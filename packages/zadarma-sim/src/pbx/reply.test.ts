import { describe, expect, it } from 'vitest';
import { parseRedirect, readReply } from './reply.js';

describe('readReply', () => {
  it('honours redirect, return_timeout and caller_name together', () => {
    const r = readReply('{"redirect":"101","return_timeout":20,"caller_name":"ACME"}');
    expect(r.kind).toBe('steer');
    expect(r.kind === 'steer' && r.control).toMatchObject({
      redirect: '101',
      returnTimeout: 20,
      callerName: 'ACME',
    });
  });

  it('leaves the scenario in charge for {}, OK and an empty body', () => {
    for (const body of ['{}', 'OK', '', '{"success":true}']) {
      expect(readReply(body).kind).toBe('none');
    }
  });

  it('ignores malformed replies and says why', () => {
    expect(readReply('<html>').note).toMatch(/not JSON/);
    expect(readReply('[1]').note).toMatch(/not a JSON object/);
    expect(readReply('{"return_timeout":"soon","redirect":"101"}').note).toMatch(
      /return_timeout must be an integer/,
    );
    expect(readReply('{"redirect":"101","rewrite_forward_number":"abc"}').kind).toBe('malformed');
  });
});

describe('parseRedirect', () => {
  it('reads every documented target format', () => {
    expect(parseRedirect('101')).toEqual({ kind: 'extension', extension: '101' });
    expect(parseRedirect('blacklist')).toEqual({ kind: 'blacklist' });
    expect(parseRedirect('0-1')).toEqual({ kind: 'scenario', menuId: '0', scenarioId: '1' });
    expect(parseRedirect('1')).toEqual({ kind: 'scenario', menuId: '0', scenarioId: '1' });
    expect(parseRedirect('0-main')).toEqual({ kind: 'menu', menuId: '0' });
    expect(parseRedirect('sales')).toBeNull();
  });
});
