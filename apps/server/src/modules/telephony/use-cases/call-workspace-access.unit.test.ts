/**
 * call-workspace-access on the in-memory adapters: who may work on a call from the card — admins and the
 * system, the users of the extensions it rang, that answered or placed it, its agent, its contact's
 * responsible user — and nobody else, API clients included.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import type { StoredCall } from '../ports.js';
import { admin, boris, callWorkspaceWorld, olga, tom } from '../test-support/call-workspace-world.js';
import { mayWorkOnCall } from './call-workspace-access.js';

const nina = userActor({ id: 'u-nina', role: 'agent', name: 'Nina', locale: 'fr' });

describe('call-workspace-access', () => {
  it('lets admins and the system work on any call', async () => {
    const w = await callWorkspaceWorld();
    expect(await mayWorkOnCall(w.ports, admin, w.outbound)).toBe(true);
    expect(await mayWorkOnCall(w.ports, systemActor('test'), w.outbound)).toBe(true);
  });

  it('lets the users of the extensions that rang, answered or placed the call work on it, and nobody else', async () => {
    const w = await callWorkspaceWorld();
    // The answered call rang 101 (Olga, who answered) and 102 (Boris); the outbound call was placed from 102.
    expect(await mayWorkOnCall(w.ports, olga, w.answered)).toBe(true);
    expect(await mayWorkOnCall(w.ports, boris, w.answered)).toBe(true);
    expect(await mayWorkOnCall(w.ports, boris, w.outbound)).toBe(true);
    expect(await mayWorkOnCall(w.ports, olga, w.outbound)).toBe(false);
    expect(await mayWorkOnCall(w.ports, nina, w.answered)).toBe(false);
  });

  it('counts each of rang, answered and placed on its own', async () => {
    const w = await callWorkspaceWorld();
    const none = { ...w.outbound, ringingExtensions: [], answeredBy: null, originExtension: null };
    expect(await mayWorkOnCall(w.ports, boris, none)).toBe(false);
    expect(await mayWorkOnCall(w.ports, boris, { ...none, ringingExtensions: ['102'] })).toBe(true);
    expect(await mayWorkOnCall(w.ports, boris, { ...none, answeredBy: '102' })).toBe(true);
    expect(await mayWorkOnCall(w.ports, boris, { ...none, originExtension: '102' })).toBe(true);
  });

  it('lets the call’s agent and its contact’s responsible user work on it', async () => {
    const w = await callWorkspaceWorld();
    expect(await mayWorkOnCall(w.ports, nina, { ...w.outbound, agentUserId: nina.id })).toBe(true);
    expect(await mayWorkOnCall(w.ports, tom, w.answered)).toBe(false);
    const linked = (await w.ports.calls.link(w.answered, { contactId: 'c-tom' })) as StoredCall;
    expect(await mayWorkOnCall(w.ports, tom, linked)).toBe(true);
    // Contact c-shared has nobody responsible: linking there takes the call away from Tom.
    expect(await mayWorkOnCall(w.ports, tom, { ...linked, contactId: 'c-shared' })).toBe(false);
  });

  it('refuses an API client, even on a call it could name', async () => {
    const w = await callWorkspaceWorld();
    const apiClient = { kind: 'api-client', id: 'key-1', scopes: [] } as const;
    expect(await mayWorkOnCall(w.ports, apiClient, w.answered)).toBe(false);
  });
});
