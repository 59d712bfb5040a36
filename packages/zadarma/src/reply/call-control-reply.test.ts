import { describe, expect, it } from 'vitest';
import {
  buildCallControlReply,
  CallControlReplyError,
  type CallControlReplySpec,
  callControlReplyJson,
  isRedirectTarget,
} from './call-control-reply.js';

const MENU = { timeout: 5, attempts: 2, maxdigits: 1, name: 'main', default: 'hangup' };

function problemsOf(spec: unknown): readonly string[] {
  try {
    buildCallControlReply(spec as CallControlReplySpec);
  } catch (error) {
    if (error instanceof CallControlReplyError) {
      return error.problems;
    }
    throw error;
  }
  return [];
}

describe('buildCallControlReply — documented recipes (docs/zadarma-protocol.md §6.2)', () => {
  it('routes to the responsible manager with a fallback timeout', () => {
    expect(callControlReplyJson({ redirect: '101', return_timeout: 20 })).toBe(
      '{"redirect":"101","return_timeout":20}',
    );
  });

  it('names the caller on the ringing phone together with a redirect', () => {
    expect(buildCallControlReply({ caller_name: 'ACME Ltd — J. Smith', redirect: '101' })).toEqual({
      redirect: '101',
      caller_name: 'ACME Ltd — J. Smith',
    });
  });

  it('rewrites the forward number of an extension', () => {
    expect(buildCallControlReply({ redirect: '101', rewrite_forward_number: '447700900123' })).toEqual({
      redirect: '101',
      rewrite_forward_number: '447700900123',
    });
    expect(
      buildCallControlReply({ redirect: '101', rewrite_forward_number: '++12345' }).rewrite_forward_number,
    ).toBe('++12345');
  });

  it('blacklists with a busy tone or hangs up', () => {
    expect(callControlReplyJson({ redirect: 'blacklist' })).toBe('{"redirect":"blacklist"}');
    expect(callControlReplyJson({ hangup: true })).toBe('{"hangup":1}');
    expect(callControlReplyJson({ hangup: 1 })).toBe('{"hangup":1}');
  });

  it('runs an own IVR step with a prompt and DTMF collection', () => {
    expect(callControlReplyJson({ ivr_play: '687a8e13a7987a5ca70a4eb7', wait_dtmf: MENU })).toBe(
      '{"ivr_play":"687a8e13a7987a5ca70a4eb7","wait_dtmf":{"timeout":5,"attempts":2,"maxdigits":1,"name":"main","default":"hangup"}}',
    );
  });

  it('says digits keeping leading zeros, in a chosen language', () => {
    expect(callControlReplyJson({ ivr_saydigits: '007', language: 'fr' })).toBe(
      '{"ivr_saydigits":"007","language":"fr"}',
    );
    expect(buildCallControlReply({ ivr_saynumber: 0, language: 'ua' })).toEqual({
      ivr_saynumber: 0,
      language: 'ua',
    });
    expect(buildCallControlReply({ ivr_saypopular: 3 })).toEqual({ ivr_saypopular: 3 });
  });

  it('allows ivr_play alone and an empty reply that leaves the PBX scenario in charge', () => {
    expect(buildCallControlReply({ ivr_play: 'abc' })).toEqual({ ivr_play: 'abc' });
    expect(callControlReplyJson({})).toBe('{}');
    expect(callControlReplyJson()).toBe('{}');
  });

  it('accepts every redirect target form §6.1 lists', () => {
    for (const target of ['101', '1001', '10001', '1', '0-1', '0-main', '12-3', 'blacklist']) {
      expect(isRedirectTarget(target)).toBe(true);
      expect(buildCallControlReply({ redirect: target }).redirect).toBe(target);
    }
  });
});

describe('buildCallControlReply — refused combinations', () => {
  it('refuses redirect targets that are not extension, scenario or blacklist', () => {
    for (const target of ['123456', 'ext101', '', '0-', '-1', 'BLACKLIST', '10 1']) {
      expect(problemsOf({ redirect: target })).toEqual([expect.stringMatching(/redirect/)]);
    }
    expect(problemsOf({ redirect: 101 })).toEqual([expect.stringMatching(/redirect "101"/)]);
  });

  it('refuses return_timeout 1 or 2, negatives and fractions', () => {
    for (const t of [1, 2, -1, 3.5]) {
      expect(problemsOf({ redirect: '101', return_timeout: t })).toEqual([
        expect.stringMatching(/return_timeout/),
      ]);
    }
    expect(buildCallControlReply({ redirect: '101', return_timeout: 0 })).toEqual({
      redirect: '101',
      return_timeout: 0,
    });
    expect(buildCallControlReply({ redirect: '0-1', return_timeout: 3 }).return_timeout).toBe(3);
  });

  it('refuses return_timeout without a redirect, or with blacklist', () => {
    expect(problemsOf({ return_timeout: 20 })).toEqual([expect.stringMatching(/only applies to a redirect/)]);
    expect(problemsOf({ redirect: 'blacklist', return_timeout: 20 })).toHaveLength(1);
  });

  it('refuses rewrite_forward_number without an extension redirect or with a bad number', () => {
    expect(problemsOf({ rewrite_forward_number: '447700900123' })).toEqual([
      expect.stringMatching(/only applies to a redirect to an extension/),
    ]);
    expect(problemsOf({ redirect: '0-1', rewrite_forward_number: '447700900123' })).toHaveLength(1);
    for (const n of ['1234', '44 77', '+44-77009', '44+7700900']) {
      expect(problemsOf({ redirect: '101', rewrite_forward_number: n })).toEqual([
        expect.stringMatching(/rewrite_forward_number must match/),
      ]);
    }
  });

  it('refuses hangup with anything else, and a false hangup', () => {
    expect(problemsOf({ hangup: true, redirect: '101' })).toEqual([
      expect.stringMatching(/cannot be combined with redirect/),
    ]);
    expect(problemsOf({ hangup: true, caller_name: 'x' })).toHaveLength(1);
    expect(problemsOf({ hangup: false })).toEqual([expect.stringMatching(/hangup must be true/)]);
  });

  it('refuses language without a say* key and unsupported languages', () => {
    expect(problemsOf({ ivr_play: 'abc', language: 'en' })).toEqual([
      expect.stringMatching(/language only applies/),
    ]);
    expect(problemsOf({ ivr_saydigits: '1', language: 'it' })).toEqual([
      expect.stringMatching(/language must be one of/),
    ]);
  });

  it('refuses wait_dtmf without a prompt and with incomplete settings', () => {
    expect(problemsOf({ wait_dtmf: MENU })).toEqual([expect.stringMatching(/needs a prompt/)]);
    expect(problemsOf({ ivr_play: 'a', wait_dtmf: { ...MENU, timeout: 0 } })).toEqual([
      expect.stringMatching(/wait_dtmf.timeout/),
    ]);
    expect(problemsOf({ ivr_play: 'a', wait_dtmf: { ...MENU, default: 'nowhere' } })).toEqual([
      expect.stringMatching(/wait_dtmf.default/),
    ]);
    expect(problemsOf({ ivr_play: 'a', wait_dtmf: { ...MENU, digits: 1 } })).toEqual([
      expect.stringMatching(/unknown key "digits"/),
    ]);
    expect(problemsOf({ ivr_play: 'a', wait_dtmf: { name: 'm' } })).toHaveLength(4);
    expect(
      buildCallControlReply({ ivr_saynumber: 5, wait_dtmf: { ...MENU, default: '0-main' } }).wait_dtmf
        ?.default,
    ).toBe('0-main');
  });

  it('refuses a reply that both redirects and plays an IVR step', () => {
    expect(problemsOf({ redirect: '101', ivr_play: 'abc' })).toEqual([
      expect.stringMatching(/either redirects or runs an IVR/),
    ]);
  });

  it('refuses bad say* values (ivr_saydigits must be a digit string)', () => {
    expect(problemsOf({ ivr_saydigits: 7 })).toHaveLength(1);
    expect(problemsOf({ ivr_saydigits: '12a' })).toHaveLength(1);
    expect(problemsOf({ ivr_saynumber: -1 })).toHaveLength(1);
    expect(problemsOf({ ivr_saypopular: 0 })).toHaveLength(1);
    expect(problemsOf({ ivr_play: '' })).toHaveLength(1);
  });

  it('refuses empty or control-character caller names and names on blacklisted calls', () => {
    expect(problemsOf({ caller_name: ' ' })).toHaveLength(1);
    expect(problemsOf({ caller_name: 'A\r\nB' })).toHaveLength(1);
    expect(problemsOf({ redirect: 'blacklist', caller_name: 'Spam' })).toEqual([
      expect.stringMatching(/blacklisted/),
    ]);
  });

  it('refuses unknown keys such as camelCase typos, listing every problem at once', () => {
    const problems = problemsOf({ callerName: 'x', return_timeout: 1 });
    expect(problems).toEqual([
      expect.stringMatching(/unknown key "callerName"/),
      expect.stringMatching(/only applies to a redirect/),
      expect.stringMatching(/return_timeout must be 0/),
    ]);
    expect(() => buildCallControlReply({ return_timeout: 1 })).toThrow(
      /invalid call-control reply: .*return_timeout/,
    );
  });
});
