/**
 * call-audience on the in-memory extension directory: the users of every extension the call rang or that
 * answered it, and its agent — with the user of each extension, for naming who answered.
 */
import { describe, expect, it } from 'vitest';
import type { StoredCall } from '../ports.js';
import { boris, callWorkspaceWorld, olga } from '../test-support/call-workspace-world.js';
import { callAudience } from './call-audience.js';

describe('call-audience', () => {
  it('names the users of every extension the call rang and who answered', async () => {
    const w = await callWorkspaceWorld();
    const { audience, users } = await callAudience(w.ports, w.answered, null);
    expect(audience).toEqual([olga.id, boris.id, null]);
    expect([...users]).toEqual([
      ['101', olga.id],
      ['102', boris.id],
    ]);
  });

  it('adds the extension that just answered and the call’s agent; extensions nobody holds name nobody', async () => {
    const w = await callWorkspaceWorld();
    const call: StoredCall = {
      ...w.answered,
      ringingExtensions: ['999'],
      answerExtension: null,
      answeredBy: null,
      agentUserId: 'u-x',
    };
    const { audience, users } = await callAudience(w.ports, call, '102');
    expect(audience).toEqual([boris.id, 'u-x']);
    expect(users.get('999')).toBeUndefined();
  });

  it('asks the directory nothing for a call that rang no extension', async () => {
    const w = await callWorkspaceWorld();
    const directory = {
      ...w.ports.directory,
      usersOf: async () => {
        throw new Error('no extension to look up');
      },
    };
    const call: StoredCall = { ...w.missed, ringingExtensions: [], answerExtension: null, answeredBy: null };
    expect(await callAudience({ directory }, call, null)).toEqual({ audience: [null], users: new Map() });
  });
});
