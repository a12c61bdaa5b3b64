import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './cli-args';

describe('parseArgs', () => {
  it('serves by default', () => {
    expect(parseArgs([])).toEqual({ kind: 'serve' });
    expect(parseArgs(['serve'])).toEqual({ kind: 'serve' });
  });

  it('creates an enrollment token with an optional lifetime', () => {
    expect(parseArgs(['enrollment-token', 'create'])).toEqual({ kind: 'enrollment-token-create', ttlMinutes: 60 });
    expect(parseArgs(['enrollment-token', 'create', '--ttl-minutes', '15'])).toEqual({
      kind: 'enrollment-token-create',
      ttlMinutes: 15,
    });
    expect(parseArgs(['enrollment-token', 'create', '--ttl-minutes=5'])).toEqual({
      kind: 'enrollment-token-create',
      ttlMinutes: 5,
    });
  });

  it('refuses what it does not know', () => {
    expect(() => parseArgs(['enrollment-token', 'create', '--ttl-minutes', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['enrollment-token', 'create', '--ttl'])).toThrow(UsageError);
    expect(() => parseArgs(['launch'])).toThrow(UsageError);
  });
});
