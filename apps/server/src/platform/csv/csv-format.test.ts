import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParseError, csvCell, csvLine, detectDelimiter, parseCsv, unprotectCell } from './csv-format.js';

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    const text = 'name,notes\r\n"Dupont, Jean","said ""hi""\nthen left"\r\nAnna,\r\n';
    expect(parseCsv(text)).toEqual([
      ['name', 'notes'],
      ['Dupont, Jean', 'said "hi"\nthen left'],
      ['Anna', ''],
    ]);
  });

  it('strips a UTF-8 BOM and detects the semicolon used by French and Russian Excel', () => {
    const text = '\uFEFFPrénom;Nom;Téléphone\nÉlodie;Lefèvre;06 12 34 56 78\n';
    expect(detectDelimiter(text)).toBe(';');
    expect(parseCsv(text)).toEqual([
      ['Prénom', 'Nom', 'Téléphone'],
      ['Élodie', 'Lefèvre', '06 12 34 56 78'],
    ]);
  });

  it('ignores delimiters inside quotes when detecting', () => {
    expect(detectDelimiter('"a;b;c",d\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n')).toBe('\t');
  });

  it('skips blank lines and reads a last line without newline', () => {
    expect(parseCsv('a,b\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reports an unterminated quote with its line', () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3')).toThrow(CsvParseError);
    expect(() => parseCsv('a,b\n1,"oops\n2,3')).toThrow('line 2');
  });

  it('reads back whatever csvLine writes', () => {
    fc.assert(
      fc.property(
        // A text that itself starts with `'=` cannot round-trip (the import takes it for protection).
        fc.array(
          fc.array(
            fc.string({ unit: 'grapheme' }).filter((s) => !s.startsWith("'")),
            { minLength: 2, maxLength: 5 },
          ),
          { minLength: 1, maxLength: 5 },
        ),
        (rows) => {
          const width = rows[0]?.length ?? 0;
          const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 'x'));
          const text = table.map((r) => csvLine(r)).join('');
          expect(parseCsv(text, ',').map((r) => r.map(unprotectCell))).toEqual(table);
        },
      ),
    );
  });
});

describe('csvCell', () => {
  it('neutralises formula injection', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+33612345678')).toBe("'+33612345678");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
  });
});
