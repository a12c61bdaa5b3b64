import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';

function collect(max?: number) {
  const lines: string[] = [];
  const oversized: number[] = [];
  const splitter = new LineSplitter({ line: (l) => lines.push(l), oversized: (n) => oversized.push(n) }, max);
  return { splitter, lines, oversized };
}

describe('LineSplitter', () => {
  it('joins lines split across chunks, including inside a multi-byte character', () => {
    const { splitter, lines } = collect();
    const bytes = Buffer.from('first\r\nzoé sec');
    splitter.push(bytes.subarray(0, 10)); // cuts "é" in half
    splitter.push(Buffer.concat([bytes.subarray(10), Buffer.from('ond\nthird')]));
    expect(lines).toEqual(['first', 'zoé second']);
    splitter.flush();
    expect(lines).toEqual(['first', 'zoé second', 'third']);
  });

  it('reports an over-long line once and resumes at the next line', () => {
    const { splitter, lines, oversized } = collect(16);
    splitter.push(Buffer.from('short\n' + 'y'.repeat(10)));
    splitter.push(Buffer.from('y'.repeat(30)));
    splitter.push(Buffer.from('\nnext\n'));
    expect(lines).toEqual(['short', 'next']);
    expect(oversized).toEqual([40]);
  });

  it('turns invalid UTF-8 into replacement characters', () => {
    const { splitter, lines } = collect();
    splitter.push(Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]));
    expect(lines).toEqual(['a\ufffd\ufffdb']);
  });
});
