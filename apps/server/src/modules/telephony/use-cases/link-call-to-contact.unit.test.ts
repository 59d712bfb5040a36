/**
 * link-call-to-contact on the in-memory adapters: a call is linked only to a contact with its number, goes on
 * that contact's timeline, moves between contacts sharing the number, and the link is on the call's trace once;
 * anyone the call did not reach gets "not found".
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/errors.js';
import { boris, callWorkspaceWorld, olga, tom } from '../test-support/call-workspace-world.js';
import { linkCallToContact } from './link-call-to-contact.js';

const AT = '2024-05-14T07:20:00.000Z';

describe('link-call-to-contact', () => {
  it('links the answered call to a contact with its number, puts it on the timeline and returns the card', async () => {
    const w = await callWorkspaceWorld();
    const card = await linkCallToContact(w.ports, olga, {
      callId: w.answered.id,
      contactId: 'c-tom',
      at: AT,
    });
    expect(card).toMatchObject({ id: 'c-tom', displayName: 'Gordon Caller' });
    expect((await w.ports.calls.getById(w.answered.id))?.contactId).toBe('c-tom');
    expect(w.ports.timeline.calls()).toEqual([
      expect.objectContaining({ callId: w.answered.id, contactId: 'c-tom' }),
    ]);
    expect(w.ports.timeline.decisions()).toEqual([
      {
        callId: w.answered.id,
        at: AT,
        actorId: olga.id,
        code: 'call.linked',
        params: { contactId: 'c-tom', name: 'Gordon Caller' },
      },
    ]);
  });

  it('moves the call to another contact sharing the number, its timeline item with it', async () => {
    const w = await callWorkspaceWorld();
    await linkCallToContact(w.ports, olga, { callId: w.answered.id, contactId: 'c-tom', at: AT });
    await linkCallToContact(w.ports, olga, { callId: w.answered.id, contactId: 'c-shared', at: AT });
    expect((await w.ports.calls.getById(w.answered.id))?.contactId).toBe('c-shared');
    expect(w.ports.timeline.calls().map((i) => i.contactId)).toEqual(['c-shared']);
    expect(w.ports.timeline.decisions().map((d) => d.params.contactId)).toEqual(['c-tom', 'c-shared']);
  });

  it('says nothing more on the trace when the call is linked to that contact already', async () => {
    const w = await callWorkspaceWorld();
    await linkCallToContact(w.ports, olga, { callId: w.answered.id, contactId: 'c-tom', at: AT });
    const again = await linkCallToContact(w.ports, olga, {
      callId: w.answered.id,
      contactId: 'c-tom',
      at: AT,
    });
    expect(again.id).toBe('c-tom');
    expect(w.ports.timeline.decisions()).toHaveLength(1);
  });

  it('refuses a contact without the call’s number, naming the field, and links nothing', async () => {
    const w = await callWorkspaceWorld();
    const attempt = linkCallToContact(w.ports, olga, { callId: w.answered.id, contactId: 'c-other', at: AT });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'SB_ERR_VALIDATION',
      details: [{ path: 'contactId', message: 'the contact does not have the number of the call' }],
    });
    expect((await w.ports.calls.getById(w.answered.id))?.contactId).toBeNull();
    expect(w.ports.timeline.decisions()).toEqual([]);
  });

  it('answers "not found" to an agent the call did not reach, or for an unknown call', async () => {
    const w = await callWorkspaceWorld();
    for (const [actor, callId] of [
      [tom, w.answered.id],
      [olga, w.outbound.id],
      [boris, 'no-such-call'],
    ] as const) {
      await expect(
        linkCallToContact(w.ports, actor, { callId, contactId: 'c-tom', at: AT }),
      ).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    }
    expect((await w.ports.calls.getById(w.answered.id))?.contactId).toBeNull();
  });

  it('answers "not found" when the contact has the number but its card is gone', async () => {
    const w = await callWorkspaceWorld();
    const ports = { ...w.ports, cards: { cardOf: async () => null } };
    await expect(
      linkCallToContact(ports, olga, { callId: w.answered.id, contactId: 'c-tom', at: AT }),
    ).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
  });
});
