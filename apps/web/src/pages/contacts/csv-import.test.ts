import { describe, expect, it } from 'vitest';
import { previewCell, rejectedRowsCsv } from './csv-import.js';

describe('CSV import helpers', () => {
  it('reads preview cells from rows sent as objects or as arrays', () => {
    expect(previewCell({ 'First name': 'Jean' }, 'First name', 0)).toBe('Jean');
    expect(previewCell(['Jean', 'Dupont'], 'Last name', 1)).toBe('Dupont');
    expect(previewCell(['Jean'], 'Phone', 2)).toBe('');
  });
  it('writes the rejected-rows report as CSV, quoting messages with commas and quotes', () => {
    expect(
      rejectedRowsCsv([
        { row: 3, message: 'phone "12" is too short' },
        { row: 9, message: 'no name, no phone' },
      ]),
    ).toBe('row,message\r\n3,"phone ""12"" is too short"\r\n9,"no name, no phone"');
  });
});
