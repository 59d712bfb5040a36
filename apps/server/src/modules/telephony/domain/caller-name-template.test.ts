import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CALLER_NAME_FIELDS,
  renderCallerName,
  templateProblems,
  UNKNOWN_LABEL_FIELDS,
} from './caller-name-template.js';
import { transliterate } from './transliterate.js';

const FORMAT = { maxLength: 30, transliterate: false };

describe('caller name template', () => {
  it('refuses a field that does not exist, naming it, and an unclosed brace', () => {
    expect(templateProblems('{company} — {contact}', CALLER_NAME_FIELDS)).toEqual([]);
    expect(templateProblems('{compnay} — {contact}', CALLER_NAME_FIELDS)).toEqual([
      {
        message: expect.stringContaining('unknown field {compnay}'),
        reason: 'template_field_unknown',
        params: { field: '{compnay}', known: expect.stringContaining('{contact}, {company}') },
      },
    ]);
    expect(templateProblems('{contact', CALLER_NAME_FIELDS)).toEqual([
      { message: 'a brace is not closed', reason: 'template_brace_open' },
    ]);
    expect(templateProblems('Missed you {missed}× today', UNKNOWN_LABEL_FIELDS)).toEqual([]);
    expect(templateProblems('{contact}', UNKNOWN_LABEL_FIELDS)[0]?.params?.field).toBe('{contact}');
  });

  it('renders the fields and leaves no dangling separator where one is empty', () => {
    const template = '{vip} {company} — {contact}';
    expect(renderCallerName(template, { vip: 'VIP', company: 'ACME', contact: 'Jean Dupont' }, FORMAT)).toBe(
      'VIP ACME — Jean Dupont',
    );
    expect(renderCallerName(template, { company: 'ACME', contact: 'Jean Dupont' }, FORMAT)).toBe(
      'ACME — Jean Dupont',
    );
    expect(renderCallerName(template, { contact: 'Jean Dupont' }, FORMAT)).toBe('Jean Dupont');
    expect(
      renderCallerName(
        '{contact} | {dealStage} | {responsible}',
        { contact: 'Jean', responsible: 'Olga' },
        FORMAT,
      ),
    ).toBe('Jean | Olga');
    expect(renderCallerName(template, {}, FORMAT)).toBe('');
  });

  it('keeps a SIP display name safe: no quotes, backslashes or control characters', () => {
    expect(renderCallerName('{contact}', { contact: 'Bob "the\\builder"\n' }, FORMAT)).toBe(
      'Bob the builder',
    );
  });

  it('cuts to the length limit on a character boundary, whatever the script', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.integer({ min: 8, max: 64 }),
        (text, max) => {
          const name = renderCallerName(
            '{contact}',
            { contact: text },
            { maxLength: max, transliterate: false },
          );
          const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(name)];
          expect(graphemes.length).toBeLessThanOrEqual(max);
        },
      ),
    );
    const long = renderCallerName(
      '{company} — {contact}',
      { company: 'Société Générale des Télécommunications', contact: 'Jean' },
      FORMAT,
    );
    expect([...long]).toHaveLength(30);
    expect(long.endsWith('…')).toBe(true);
  });

  it('transliterates Cyrillic and drops accents for phones without them, and stays ASCII', () => {
    expect(transliterate('ООО Ромашка — Иван Щукин')).toBe('OOO Romashka - Ivan Shchukin');
    expect(transliterate('Société Générale')).toBe('Societe Generale');
    const name = renderCallerName(
      '{company} — {contact}',
      { company: 'Ромашка', contact: 'Юлия Ёлкина' },
      {
        maxLength: 30,
        transliterate: true,
      },
    );
    expect(name).toBe('Romashka - Yuliya Elkina');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(
          renderCallerName('{contact}', { contact: text }, { maxLength: 30, transliterate: true }),
        ).toMatch(/^[\x20-\x7e]*$/);
      }),
    );
  });
});
