import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/errors.js';
import { type Actor, actorUserId, isAdmin, refuseApiClient, systemActor, userActor } from './actor.js';

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const agent = userActor({ id: 'u-agent', role: 'agent', name: 'Alice', locale: 'fr' });
const system = systemActor('automation: missed call');
const apiClient: Actor = { kind: 'api-client', id: 'key-1', scopes: ['crm:read'] };

describe('actors', () => {
  it('builds a user actor from a session user, keeping only what use cases need', () => {
    const sessionUser = {
      id: 'u1',
      email: 'al@example.test',
      role: 'agent',
      name: 'Al',
      locale: 'ru',
    } as const;
    expect(userActor(sessionUser)).toEqual({
      kind: 'user',
      id: 'u1',
      role: 'agent',
      name: 'Al',
      locale: 'ru',
    });
  });

  it('counts only a signed-in admin as an admin', () => {
    expect([admin, agent, system, apiClient].map(isAdmin)).toEqual([true, false, false, false]);
  });

  it('records a user by id and the system and API clients as no user', () => {
    expect([admin, agent, system, apiClient].map(actorUserId)).toEqual(['u-admin', 'u-agent', null, null]);
  });

  it('refuses an API client with SB_ERR_FORBIDDEN and lets users and the system through', () => {
    for (const actor of [admin, agent, system]) {
      expect(() => refuseApiClient(actor, 'create contacts')).not.toThrow();
    }
    let thrown: unknown;
    try {
      refuseApiClient(apiClient, 'create contacts');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('SB_ERR_FORBIDDEN');
    expect((thrown as AppError).message).toBe('API clients may not create contacts');
  });
});
