// Real scrypt: today's parameters are stored with the hash, older hashes still verify
// and are marked for re-hashing, and a stored hash cannot name absurd parameters.
import { describe, expect, it } from 'vitest';
import { CURRENT_PARAMS, PasswordHasher } from './password.hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes at N=2^17, r=8, p=1 and verifies in constant-time comparison', async () => {
    expect(CURRENT_PARAMS).toEqual({ N: 131_072, r: 8, p: 1 });
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hasher.verify('correct horse battery', stored)).toBe(true);
    expect(await hasher.verify('correct horse batterY', stored)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(false);
  });

  it('verifies an N=2^14 hash and says it needs re-hashing', async () => {
    const old = await new PasswordHasher({ N: 2 ** 14, r: 8, p: 1 }).hash('old password');
    expect(old.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await hasher.verify('old password', old)).toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
  });

  it('refuses malformed or absurd stored hashes without deriving', async () => {
    const started = performance.now();
    for (const stored of [
      '',
      'bcrypt$2b$10$abc',
      'scrypt$1073741824$8$1$c2FsdA$aGFzaA',
      'scrypt$1000$8$1$c2FsdA$aGFzaA',
      'scrypt$16384$64$1$c2FsdA$aGFzaA',
      'scrypt$16384$8$1$c2FsdA$aGFzaA$extra',
    ]) {
      expect(await hasher.verify('x', stored)).toBe(false);
      expect(hasher.needsRehash(stored)).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('checks an unknown user against a dummy of today’s cost', async () => {
    expect(await hasher.verifyDummy('anything')).toBe(false);
  });
});
