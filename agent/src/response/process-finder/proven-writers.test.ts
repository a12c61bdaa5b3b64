import { describe, expect, it } from 'vitest';
import { provenWriters } from './proven-writers';

describe('provenWriters', () => {
  it('keeps audit, open-file and cwd evidence, drops write-counter guesses', () => {
    const found = [
      { pid: 10, startTime: 1, evidence: 'open_file' as const },
      { pid: 11, startTime: 1, evidence: 'io' as const },
      { pid: 12, startTime: 1, evidence: 'cwd' as const },
      { pid: 13, startTime: 1, evidence: 'audit' as const },
    ];
    expect(provenWriters(found).map((p) => p.pid)).toEqual([10, 12, 13]);
    expect(provenWriters([{ pid: 11, startTime: 1, evidence: 'io' as const }])).toEqual([]);
  });
});
