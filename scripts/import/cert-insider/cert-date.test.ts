import { describe, expect, it } from 'vitest';
import { parseCertDate, parseDayArgument } from './cert-date';

describe('parseCertDate', () => {
  it('reads MM/DD/YYYY HH:MM:SS as UTC, month first', () => {
    expect(parseCertDate('01/04/2010 07:05:09')).toBe(Date.parse('2010-01-04T07:05:09Z'));
    expect(parseCertDate('12/31/2010 23:59:59')).toBe(Date.parse('2010-12-31T23:59:59Z'));
    expect(parseCertDate(' 2/3/2011 8:00:00 ')).toBe(Date.parse('2011-02-03T08:00:00Z'));
  });

  it('accepts a time without seconds', () => {
    expect(parseCertDate('03/01/2010 06:49')).toBe(Date.parse('2010-03-01T06:49:00Z'));
  });

  it('keeps years below 100 as they are (not 19xx)', () => {
    expect(new Date(parseCertDate('01/01/0050 00:00:00') ?? NaN).getUTCFullYear()).toBe(50);
  });

  it('rejects what is not a real date and time', () => {
    for (const bad of [
      '',
      '2010-01-04 07:05:09',
      '13/01/2010 00:00:00',
      '02/30/2010 00:00:00',
      '00/10/2010 00:00:00',
      '01/04/2010 24:00:00',
      '01/04/2010 10:60:00',
      '01/04/2010 10:00:60',
      '01/04/2010',
      '01/04/2010 07:05:09 PM',
    ])
      expect(parseCertDate(bad), bad).toBeNull();
  });
});

describe('parseDayArgument', () => {
  it('gives midnight UTC of a YYYY-MM-DD day and rejects anything else', () => {
    expect(parseDayArgument('2010-01-02')).toBe(Date.parse('2010-01-02T00:00:00Z'));
    expect(parseDayArgument('2010-02-29')).toBeNull();
    expect(parseDayArgument('01/02/2010')).toBeNull();
    expect(parseDayArgument('2010-1-2')).toBeNull();
  });
});
