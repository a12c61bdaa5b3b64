import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvLine, parseCsvRecord } from './csv-line';

/** How an RFC 4180 writer quotes a field: only when it must. */
const quote = (field: string) => (/[",\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

describe('parseCsvLine', () => {
  it('splits a plain line, keeping empty fields at either end', () => {
    expect(parseCsvLine('{A1-B2},01/04/2010 08:00:00,KLM0001,PC-0001,Logon')).toEqual([
      '{A1-B2}',
      '01/04/2010 08:00:00',
      'KLM0001',
      'PC-0001',
      'Logon',
    ]);
    expect(parseCsvLine(',a,')).toEqual(['', 'a', '']);
    expect(parseCsvLine('')).toEqual(['']);
  });

  it('keeps commas and doubled quotes inside a quoted field', () => {
    expect(parseCsvLine('x,"budget, 2010 draft",y')).toEqual(['x', 'budget, 2010 draft', 'y']);
    expect(parseCsvLine('"say ""hi"", then go",""')).toEqual(['say "hi", then go', '']);
    expect(parseCsvLine('"a","",')).toEqual(['a', '', '']);
  });

  it('keeps a quote inside an unquoted field as it is', () => {
    expect(parseCsvLine('a,5" disk,b')).toEqual(['a', '5" disk', 'b']);
  });

  it('tells a record that goes on to the next line from text after a closing quote', () => {
    expect(parseCsvRecord('id,"the content goes on')).toBe('unterminated');
    expect(parseCsvRecord('id,"a""')).toBe('unterminated');
    expect(parseCsvRecord('id,"quoted"tail,x')).toBe('malformed');
    expect(parseCsvRecord('id,"two\nlines",x')).toEqual(['id', 'two\nlines', 'x']);
    expect([parseCsvLine('id,"the content goes on'), parseCsvLine('id,"quoted"tail,x')]).toEqual([null, null]);
  });

  it('gives back any fields an RFC 4180 writer quoted', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '{', 'é', '\t', '\n') });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), (fields) => {
        expect(parseCsvRecord(fields.map(quote).join(','))).toEqual(fields);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (line) => {
        const fields = parseCsvLine(line);
        expect(fields === null || fields.length >= 1).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
