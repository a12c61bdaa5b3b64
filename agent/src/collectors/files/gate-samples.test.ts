import { describe, expect, it } from 'vitest';
import { GateSamples, type FileIdentity } from './gate-samples';

const file: FileIdentity = { ino: 42, size: 5_000, mtimeMs: 1_700_000_000_123.456, ctimeMs: 1_700_000_000_123.456 };

describe('GateSamples', () => {
  it('gives a sample once, for the same offset and the same unchanged file', () => {
    const samples = new GateSamples();
    samples.put('/phi/a.txt', file, 1_000, 4.25);
    expect(samples.take('/phi/a.txt', { ...file }, 1_000)).toBe(4.25);
    expect(samples.take('/phi/a.txt', file, 1_000)).toBeUndefined();
    expect(samples.size).toBe(0);
  });

  it.each([
    ['another offset', {}, 0],
    ['another inode (replaced)', { ino: 43 }, 1_000],
    ['another size', { size: 5_001 }, 1_000],
    ['written since (mtime)', { mtimeMs: file.mtimeMs + 0.001 }, 1_000],
    ['changed since (ctime)', { ctimeMs: file.ctimeMs + 1 }, 1_000],
  ])('gives nothing for %s, and forgets the sample', (_, change, from) => {
    const samples = new GateSamples();
    samples.put('/phi/a.txt', file, 1_000, 4.25);
    expect(samples.take('/phi/a.txt', { ...file, ...change }, from)).toBeUndefined();
    expect(samples.take('/phi/a.txt', file, 1_000)).toBeUndefined();
  });

  it('keeps the newest sample of a path, and at most 1,024 paths (the oldest go)', () => {
    const samples = new GateSamples();
    samples.put('/phi/a.txt', file, 0, 1);
    samples.put('/phi/a.txt', { ...file, size: 6_000 }, 0, 2);
    expect(samples.take('/phi/a.txt', file, 0)).toBeUndefined();
    for (let i = 0; i < 1_100; i++) samples.put(`/phi/f${i}`, file, 0, i);
    expect(samples.size).toBe(1_024);
    expect(samples.take('/phi/f75', file, 0)).toBeUndefined();
    expect(samples.take('/phi/f76', file, 0)).toBe(76);
    expect(samples.take('/phi/f1099', file, 0)).toBe(1_099);
  });

  it('asks nobody for an offset until a collector says where it samples', () => {
    expect(new GateSamples().offsetFor('/phi/a.txt', 10)).toBeUndefined();
  });
});
