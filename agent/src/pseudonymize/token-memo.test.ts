import { describe, expect, it } from 'vitest';
import { TokenMemo } from './token-memo';

describe('TokenMemo', () => {
  it('computes a value once while it is among the most recently used, and stays bounded', () => {
    const memo = new TokenMemo(2);
    const computed: string[] = [];
    const token = (value: string) => {
      computed.push(value);
      return `t_${value}`;
    };
    expect(memo.get('a', token)).toBe('t_a');
    memo.get('b', token);
    expect(memo.get('a', token)).toBe('t_a'); // a is now the most recent
    memo.get('c', token); // evicts b, the least recently used
    memo.get('a', token);
    memo.get('b', token);
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
    expect(memo.size).toBe(2);
  });
});
