import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type LineSplitterOptions } from './line-splitter';

function sut(options: Partial<LineSplitterOptions> = {}) {
  const lines: string[] = [];
  const overlong: number[] = [];
  const splitter = new LineSplitter({ line: (l) => lines.push(l), overlong: (n) => overlong.push(n), ...options });
  return { splitter, lines, overlong };
}

describe('LineSplitter', () => {
  it('joins lines split across chunks, including inside a multi-byte character, and drops \\r', () => {
    const { splitter, lines } = sut();
    const bytes = Buffer.from('first\r\nzoé sec');
    splitter.push(bytes.subarray(0, 10)); // cuts "é" in half
    splitter.push(Buffer.concat([bytes.subarray(10), Buffer.from('ond\nthird')]));
    expect(lines).toEqual(['first', 'zoé second']);
    splitter.flush();
    expect(lines).toEqual(['first', 'zoé second', 'third']);
  });

  it("does not keep a view of the caller's buffer, which may be reused for the next read", () => {
    const { splitter, lines } = sut();
    const buffer = Buffer.from('abc');
    splitter.push(buffer);
    buffer.write('xyz');
    splitter.push(Buffer.from('\n'));
    expect(lines).toEqual(['abc']);
  });

  it('skips an over-long line by default, reports its full length once, and resumes at the next line', () => {
    const { splitter, lines, overlong } = sut({ maxLineBytes: 16 });
    splitter.push(Buffer.from('short\n' + 'y'.repeat(10)));
    splitter.push(Buffer.from('y'.repeat(30)));
    splitter.push(Buffer.from('\nnext\n'));
    expect(lines).toEqual(['short', 'next']);
    expect(overlong).toEqual([40]);
  });

  it('in cut mode emits the first maxLineBytes of an over-long line', () => {
    const { splitter, lines, overlong } = sut({ maxLineBytes: 8, overlongMode: 'cut' });
    splitter.push(Buffer.from('0123456789abc\nok\n'));
    expect(lines).toEqual(['01234567', 'ok']);
    expect(overlong).toEqual([13]);
  });

  it('turns invalid UTF-8 into replacement characters', () => {
    const { splitter, lines } = sut();
    splitter.push(Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]));
    expect(lines).toEqual(['a\ufffd\ufffdb']);
  });

  it('gives the same lines however the bytes are chunked, and never buffers past the limit', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.nat(400), { maxLength: 8 }),
        fc.constantFrom<'cut' | 'skip'>('cut', 'skip'),
        (bytes, cuts, mode) => {
          const whole = sut({ maxLineBytes: 32, overlongMode: mode });
          whole.splitter.push(Buffer.from(bytes));
          whole.splitter.flush();
          const chunked = sut({ maxLineBytes: 32, overlongMode: mode });
          let at = 0;
          for (const cut of [...cuts].sort((a, b) => a - b)) {
            chunked.splitter.push(Buffer.from(bytes.subarray(at, Math.max(at, cut))));
            at = Math.max(at, cut);
          }
          chunked.splitter.push(Buffer.from(bytes.subarray(at)));
          chunked.splitter.flush();
          expect(chunked.lines).toEqual(whole.lines);
          expect(chunked.overlong).toEqual(whole.overlong);
          for (const line of whole.lines)
            expect(Buffer.byteLength(line.replace(/\ufffd/g, '?'))).toBeLessThanOrEqual(32);
        },
      ),
      { numRuns: 300 },
    );
  });
});
