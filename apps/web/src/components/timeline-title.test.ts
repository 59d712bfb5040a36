import { i18n } from '@lingui/core';
import { afterEach, describe, expect, it } from 'vitest';
import '../i18n/i18n.js';
import { timelineTitle } from './timeline-title.js';

const t = (id: string, values?: Record<string, unknown>) => i18n._(id, values);

function inLocale(locale: string, item: Parameters<typeof timelineTitle>[1]): string {
  i18n.activate(locale);
  return timelineTitle(t, item);
}

describe('timeline titles in the reader’s language', () => {
  afterEach(() => {
    i18n.activate('en');
  });

  it('renders a created contact from its event in en, fr and ru', () => {
    const item = {
      title: 'Contact Ada created',
      event: { type: 'contact.created', params: { name: 'Ada' } },
    };
    expect(inLocale('en', item)).toBe('Contact Ada created');
    expect(inLocale('fr', item)).toBe('Contact Ada créé');
    expect(inLocale('ru', item)).toBe('Создан контакт Ada');
  });

  it('says a deal moved to another stage in en, fr and ru', () => {
    const item = {
      title: 'Deal Fleet moved to Won',
      event: { type: 'deal.stageChanged', params: { title: 'Fleet', stage: 'Won' } },
    };
    expect(inLocale('en', item)).toBe('Deal Fleet moved to Won');
    expect(inLocale('fr', item)).toBe('Affaire Fleet passée à l’étape Won');
    expect(inLocale('ru', item)).toBe('Сделка Fleet переведена на этап Won');
  });

  it('localises known changed fields, keeps unknown ones, and uses Russian plural forms', () => {
    const one = {
      title: 'Changed phones',
      event: { type: 'record.changed', params: { fields: 'phones', count: 1 } },
    };
    const two = {
      title: 'Changed lastName, mystery',
      event: { type: 'record.changed', params: { fields: 'lastName, mystery', count: 2 } },
    };
    expect(inLocale('en', two)).toBe('Changed last name, mystery');
    expect(inLocale('fr', two)).toBe('Champs modifiés : nom, mystery');
    expect(inLocale('ru', one)).toBe('Изменено поле: телефоны');
    expect(inLocale('ru', two)).toBe('Изменены поля: фамилия, mystery');
  });

  it('renders ended calls with agent, extension, duration and failure reason', () => {
    const answered = {
      title: 'Incoming call — answered by Olga, 1:07',
      event: {
        type: 'call.ended',
        params: { direction: 'in', status: 'answered', agent: 'Olga', duration: 67 },
      },
    };
    expect(inLocale('en', answered)).toBe('Incoming call — answered by Olga, 1:07');
    expect(inLocale('fr', answered)).toBe('Appel entrant — répondu par Olga, 1:07');
    expect(inLocale('ru', answered)).toBe('Входящий звонок — ответил(а) Olga, 1:07');
    const byExtension = {
      title: 'x',
      event: { type: 'call.ended', params: { direction: 'out', status: 'answered', extension: '101' } },
    };
    expect(inLocale('fr', byExtension)).toBe('Appel sortant — répondu par poste 101');
    const failed = {
      title: 'x',
      event: { type: 'call.ended', params: { direction: 'out', status: 'failed', disposition: 'cancel' } },
    };
    expect(inLocale('en', failed)).toBe('Outgoing call — failed (cancel)');
  });

  it('translates a lead’s new status through the lead status labels', () => {
    const item = {
      title: 'Lead Big is now qualified',
      event: { type: 'lead.status', params: { title: 'Big', status: 'qualified' } },
    };
    expect(inLocale('en', item)).toBe(`Lead Big is now ${t('lead.status.qualified')}`);
  });

  it('falls back to the English title without an event, for unknown types and missing params', () => {
    expect(inLocale('ru', { title: 'Old title' })).toBe('Old title');
    expect(inLocale('ru', { title: 'Future', event: { type: 'future.thing', params: {} } })).toBe('Future');
    expect(inLocale('ru', { title: 'Broken', event: { type: 'contact.created', params: {} } })).toBe(
      'Broken',
    );
  });
  it('renders the after-call decisions on a call’s trace in en, fr and ru', () => {
    const closed = {
      title: 'callback.task_closed',
      event: {
        type: 'callback.task_closed',
        params: { taskId: 't1', direction: 'out', answeredAt: '2026-01-15T14:03:00.000Z', missedCalls: 3 },
      },
    };
    expect(inLocale('en', closed)).toMatch(/^Callback task closed — client answered our call at /);
    expect(inLocale('fr', closed)).toMatch(/^Tâche de rappel close — le client a répondu à notre appel à /);
    expect(inLocale('ru', closed)).toMatch(/^Задача перезвонить закрыта — клиент ответил на наш звонок в /);
    const grouped = { title: 'x', event: { type: 'callback.task_grouped', params: { missedCalls: 3 } } };
    expect(inLocale('en', grouped)).toBe('Client called again: the callback task counts 3 calls');
    expect(inLocale('ru', grouped)).toBe('Клиент звонил снова: в задаче перезвонить уже 3 звонка');
    const opened = {
      title: 'x',
      event: {
        type: 'callback.task_opened',
        params: { owner: 'deal', assignee: 'Olga', dueAt: '2026-01-15T14:03:00.000Z' },
      },
    };
    expect(inLocale('en', opened)).toMatch(
      /^Callback task created for Olga \(responsible for the open deal\), due /,
    );
    const created = {
      title: 'x',
      event: { type: 'new_caller.created', params: { recordType: 'lead', recordId: 'l1' } },
    };
    expect(inLocale('fr', created)).toBe('Nouvel appelant : fiche créée (Prospect)');
    // An unknown code keeps the server's title.
    expect(inLocale('en', { title: 'kept', event: { type: 'callback.unknown', params: {} } })).toBe('kept');
  });

  it('renders each routing step of a call in the reader’s language, with the step and the user named', () => {
    const skipped = {
      title: 'NOTIFY_START routing decision',
      event: {
        type: 'call.routing.offline',
        params: { step: 'deal', userId: 'u1', user: 'Tom Two', extension: '102', record: 'd1' },
      },
    };
    expect(inLocale('en', skipped)).toBe('102 skipped — offline (Tom Two, responsible for the open deal)');
    expect(inLocale('fr', skipped)).toBe(
      '102 sauté — hors ligne (Tom Two, responsable de l’affaire ouverte)',
    );
    expect(inLocale('ru', skipped)).toBe(
      '102 пропущен — не в сети (Tom Two, ответственный за открытую сделку)',
    );
    const blocked = {
      title: 'x',
      event: { type: 'call.routing.blacklisted', params: { entry: '+7800', action: 'hangup' } },
    };
    expect(inLocale('fr', blocked)).toBe('Sur liste noire (+7800) : Raccrocher');
    // A code this version does not know keeps the server's title.
    expect(
      inLocale('en', { title: 'fallback', event: { type: 'call.routing.somethingNew', params: {} } }),
    ).toBe('fallback');
  });

  it('phrases what the agent did on a call from its card: the outcome and the record linked', () => {
    const outcome = {
      title: 'call.outcome',
      event: { type: 'call.outcome', params: { outcome: 'left_message' } },
    };
    expect(inLocale('en', outcome)).toBe('Outcome recorded: Left a message');
    expect(inLocale('fr', outcome)).toBe('Résultat enregistré : Message laissé');
    expect(inLocale('ru', outcome)).toBe('Итог звонка: Оставил сообщение');
    const linked = {
      title: 'call.linked',
      event: { type: 'call.linked', params: { contactId: 'k', name: 'Ada' } },
    };
    expect(inLocale('fr', linked)).toBe('Appel rattaché à Ada');
  });
});
