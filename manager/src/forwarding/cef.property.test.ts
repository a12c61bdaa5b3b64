// Whatever text an alert title, an actor or an audit detail holds, its CEF line is one line
// whose seven header fields and extension values read back to that text (line breaks in a
// header field as spaces): no value can end a field early or forge another key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCef } from './cef';
import { parseCef } from './cef-parse.fixture';

const nasty = fc.string({
  unit: fc.oneof(
    fc.constantFrom('|', '\\', '=', '\n', '\r', ' ', 'msg=', 'n', 'r'),
    fc.string({ maxLength: 1, unit: 'grapheme' }),
  ),
  maxLength: 40,
});

describe('CEF escaping', () => {
  it('reads back every header field and extension value', () => {
    fc.assert(
      fc.property(nasty, nasty, nasty, (name, message, actor) => {
        const line = formatCef({
          vendor: 'WardWatch',
          product: 'WardWatch Manager',
          version: '0.1.0',
          signatureId: 'alert.raise',
          name,
          severity: 5,
          extension: [
            ['msg', message],
            ['suser', actor],
            ['cn1', 1],
          ],
        });
        expect(line).not.toMatch(/[\r\n]/);
        const { header, ext } = parseCef(line);
        expect(header).toEqual([
          'CEF:0',
          'WardWatch',
          'WardWatch Manager',
          '0.1.0',
          'alert.raise',
          name.replace(/\r\n|\r|\n/g, ' '),
          '5',
        ]);
        expect(ext).toEqual({ ...(message ? { msg: message } : {}), ...(actor ? { suser: actor } : {}), cn1: '1' });
      }),
      { numRuns: 2_000 },
    );
  });
});
