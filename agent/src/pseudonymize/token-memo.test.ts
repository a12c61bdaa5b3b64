import { describe, expect, it } from 'vitest';
import { TokenMemo } from './token-memo';

describe('TokenMemo', () => {
  it('computes a value once while it is among the most recently used, and stays bounded', () => {
    const memo = new TokenMemo(4);
    const computed: string[] = [];
    const token = (value: string) => {
      computed.push(value);
      return `t_${value}`;
    };
    expect(memo.get('a', token)).toBe('t_a');
    for (const value of ['b', 'a', 'c', 'a', 'd', 'a', 'e']) memo.get(value, token);
    // 'a', used every other time, was computed once; each value seen once was computed once.
    expect(computed).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(memo.size).toBeLessThanOrEqual(4);
    // 'b' has not been used for four distinct values: it was forgotten, and is computed again.
    memo.get('b', token);
    expect(computed.at(-1)).toBe('b');
    expect(computed).toHaveLength(6);
  });

  it('remembers nothing that `keep` refuses', () => {
    const memo = new TokenMemo(4);
    let calls = 0;
    const compute = () => String(++calls);
    memo.get('x', compute, () => false);
    expect(memo.get('x', compute)).toBe('2');
    expect(memo.peek('x')).toBe('2');
  });
});
