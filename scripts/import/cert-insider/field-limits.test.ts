import { describe, expect, it } from 'vitest';
import { PortableEvent } from '@wardwatch/shared';
import { cap, LIMITS } from './field-limits';

/** A valid file copy with one field replaced: the schema says whether the length fits. */
const fits = (field: string, length: number) =>
  PortableEvent.safeParse({
    v: 1,
    time: 0,
    host: 'h',
    user: 'u',
    kind: 'file_copy',
    path: 'p',
    folderClass: 'other',
    targetPath: 't',
    targetFolderClass: 'removable',
    [field]: 'x'.repeat(length),
  }).success;

describe('LIMITS', () => {
  it('are the schema’s own limits, field by field', () => {
    const fields: [string, number][] = [
      ['host', LIMITS.name],
      ['user', LIMITS.name],
      ['path', LIMITS.path],
      ['targetPath', LIMITS.path],
      ['extension', LIMITS.extension],
      ['role', LIMITS.directory],
      ['unit', LIMITS.directory],
      ['label', LIMITS.label],
    ];
    for (const [field, limit] of fields) {
      expect(fits(field, limit), field).toBe(true);
      expect(fits(field, limit + 1), field).toBe(false);
    }
    const remote = (length: number) =>
      PortableEvent.safeParse({
        v: 1,
        time: 0,
        host: 'h',
        user: 'u',
        kind: 'net_connect',
        remoteAddress: 'r'.repeat(length),
      }).success;
    expect([remote(LIMITS.name), remote(LIMITS.name + 1)]).toEqual([true, false]);
  });
});

describe('cap', () => {
  it('cuts to the limit and never splits a surrogate pair', () => {
    expect(cap('abc', 3)).toBe('abc');
    expect(cap('abcd', 3)).toBe('abc');
    expect(cap('ab😀', 3)).toBe('ab');
    expect(cap('a😀b', 3)).toBe('a😀');
  });
});
