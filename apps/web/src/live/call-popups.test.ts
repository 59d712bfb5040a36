import { describe, expect, it } from 'vitest';
import type { CallRingingEvent } from '../api/types.js';
import { autoCloseDelay, type CallCardState, reduceCallPopups } from './call-popups.js';

const ringing = (pbxCallId: string): CallRingingEvent => ({
  pbxCallId,
  callId: `call-${pbxCallId}`,
  direction: 'in',
  extension: '101',
  clientNumber: '+33612345678',
  clientE164: '+33612345678',
  startedAt: '2026-11-25T10:00:00.000Z',
  contact: null,
});

const answeredBy = (userId: string | null, extension = '101') => ({ userId, name: 'Olga', extension });

describe('call popups', () => {
  it('stacks a card per ringing call, newest first, and ignores a repeated ringing', () => {
    let cards: CallCardState[] = [];
    cards = reduceCallPopups(cards, { type: 'ringing', event: ringing('in_a') });
    cards = reduceCallPopups(cards, { type: 'ringing', event: ringing('in_b') });
    cards = reduceCallPopups(cards, { type: 'ringing', event: ringing('in_a') });
    expect(cards.map((c) => c.pbxCallId)).toEqual(['in_b', 'in_a']);
    expect(cards.every((c) => c.phase === 'ringing')).toBe(true);
  });

  it('turns the answering agent’s card into an in-call card and keeps it until closed', () => {
    let cards = reduceCallPopups([], { type: 'ringing', event: ringing('in_a') });
    cards = reduceCallPopups(cards, {
      type: 'answered',
      event: { pbxCallId: 'in_a', callId: 'c', answeredBy: answeredBy('me') },
      meId: 'me',
      now: 1000,
    });
    expect(cards[0]).toMatchObject({ phase: 'inCall', mine: true, answeredAt: 1000 });
    cards = reduceCallPopups(cards, {
      type: 'ended',
      event: { pbxCallId: 'in_a', callId: 'c', status: 'answered', disposition: 'answered', duration: 67 },
    });
    expect(cards[0]).toMatchObject({ phase: 'ended', mine: true });
    expect(autoCloseDelay(cards[0] as CallCardState)).toBeNull();
    // A late duplicate ringing does not reset the agent's card (and its note).
    cards = reduceCallPopups(cards, { type: 'ringing', event: ringing('in_a') });
    expect(cards[0]).toMatchObject({ phase: 'ended', mine: true });
  });

  it('shows "answered by" on the other agents’ cards and lets them close on their own', () => {
    let cards = reduceCallPopups([], { type: 'ringing', event: ringing('in_a') });
    cards = reduceCallPopups(cards, {
      type: 'answered',
      event: { pbxCallId: 'in_a', callId: 'c', answeredBy: answeredBy('olga', '102') },
      meId: 'me',
      now: 5,
    });
    expect(cards[0]).toMatchObject({ phase: 'answeredElsewhere', mine: false, answeredBy: { name: 'Olga' } });
    expect(autoCloseDelay(cards[0] as CallCardState)).toBeGreaterThan(0);
  });

  it('ends a missed call with its outcome and ignores events for calls it never showed', () => {
    let cards = reduceCallPopups([], { type: 'ringing', event: ringing('in_a') });
    cards = reduceCallPopups(cards, {
      type: 'ended',
      event: { pbxCallId: 'in_zz', callId: 'z', status: 'missed', disposition: 'no answer', duration: 0 },
    });
    cards = reduceCallPopups(cards, {
      type: 'answered',
      event: { pbxCallId: 'in_zz', callId: 'z', answeredBy: answeredBy('me') },
      meId: 'me',
      now: 1,
    });
    expect(cards).toHaveLength(1);
    cards = reduceCallPopups(cards, {
      type: 'ended',
      event: { pbxCallId: 'in_a', callId: 'c', status: 'missed', disposition: 'no answer', duration: 0 },
    });
    expect(cards[0]).toMatchObject({ phase: 'ended', ended: { status: 'missed' } });
    expect(autoCloseDelay(cards[0] as CallCardState)).toBeGreaterThan(0);
    expect(reduceCallPopups(cards, { type: 'dismiss', pbxCallId: 'in_a' })).toEqual([]);
  });

  it('does not reopen an ended call when a late answer arrives', () => {
    let cards = reduceCallPopups([], { type: 'ringing', event: ringing('in_a') });
    cards = reduceCallPopups(cards, {
      type: 'ended',
      event: { pbxCallId: 'in_a', callId: 'c', status: 'missed', disposition: 'cancel', duration: 0 },
    });
    cards = reduceCallPopups(cards, {
      type: 'answered',
      event: { pbxCallId: 'in_a', callId: 'c', answeredBy: answeredBy('me') },
      meId: 'me',
      now: 1,
    });
    expect(cards[0]?.phase).toBe('ended');
  });

  it('keeps an outgoing call’s card for the user who placed it, from the first ring to after the hang-up', () => {
    let cards = reduceCallPopups([], {
      type: 'ringing',
      event: { ...ringing('out_a'), direction: 'out', requestId: 'req-1' },
    });
    expect(cards[0]).toMatchObject({ phase: 'ringing', mine: true });
    expect(autoCloseDelay(cards[0] as CallCardState)).toBeNull();
    cards = reduceCallPopups(cards, {
      type: 'ended',
      event: { pbxCallId: 'out_a', callId: 'c', status: 'no_answer', disposition: 'no answer', duration: 0 },
    });
    expect(cards[0]).toMatchObject({ phase: 'ended', mine: true });
    expect(autoCloseDelay(cards[0] as CallCardState)).toBeNull();
  });

  it('restores a call in progress with the server’s answer time, so the timer survives a reload', () => {
    let cards = reduceCallPopups([], { type: 'ringing', event: ringing('in_a') });
    cards = reduceCallPopups(cards, {
      type: 'answered',
      event: {
        pbxCallId: 'in_a',
        callId: 'c',
        answeredBy: answeredBy('me'),
        answeredAt: '2026-11-25T10:00:30.000Z',
      },
      meId: 'me',
      now: Date.parse('2026-11-25T10:05:00.000Z'),
    });
    expect(cards[0]).toMatchObject({ phase: 'inCall', answeredAt: Date.parse('2026-11-25T10:00:30.000Z') });
  });

  it('opens a card by hand that stays whoever has the call, and shows a contact created from it', () => {
    let cards = reduceCallPopups([], {
      type: 'open',
      call: {
        ringing: ringing('in_a'),
        answered: { pbxCallId: 'in_a', callId: 'c', answeredBy: answeredBy('olga', '102'), answeredAt: null },
      },
      meId: 'me',
      now: 10,
    });
    expect(cards[0]).toMatchObject({ phase: 'answeredElsewhere', pinned: true });
    expect(autoCloseDelay(cards[0] as CallCardState)).toBeNull();
    const contact = {
      id: 'k1',
      displayName: 'New Caller',
      company: null,
      responsibleUser: null,
      doNotCall: false,
      openDeals: [],
      openTasks: [],
      lastCalls: [],
    };
    cards = reduceCallPopups(cards, { type: 'contactLinked', pbxCallId: 'in_a', contact });
    expect(cards[0]?.ringing.contact).toEqual(contact);
  });

  it('turns a restored wrap-up into the user’s own ended card, kept until closed', () => {
    let cards = reduceCallPopups([], { type: 'ringing', event: ringing('in_w') });
    cards = reduceCallPopups(cards, {
      type: 'ended',
      event: {
        pbxCallId: 'in_w',
        callId: 'c',
        status: 'answered',
        disposition: 'answered',
        duration: 30,
        wrapUp: { outcome: 'left_message' },
      },
    });
    expect(cards[0]).toMatchObject({ phase: 'ended', mine: true });
    expect(cards[0]?.ended?.wrapUp).toEqual({ outcome: 'left_message' });
    expect(autoCloseDelay(cards[0] as CallCardState)).toBeNull();
    // Without the mark, a colleague's ended call fades out as before.
    let others = reduceCallPopups([], { type: 'ringing', event: ringing('in_x') });
    others = reduceCallPopups(others, {
      type: 'ended',
      event: { pbxCallId: 'in_x', callId: 'x', status: 'missed', disposition: 'cancel', duration: 0 },
    });
    expect(others[0]?.mine).toBe(false);
  });
});
