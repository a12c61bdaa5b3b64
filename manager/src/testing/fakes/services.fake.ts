// Fakes of small injectable helpers that are not repositories.
import { CURRENT_PARAMS, type PasswordHasher } from '../../auth/password.hasher';
import type { Public } from './fakes';

/**
 * Readable "hashes", so that tests can say which password was stored: `hashed:<pw>`, or
 * `weak:<pw>` for one made with parameters older than today's. `calls` counts every
 * hash computed or checked, the dummy included, so tests can say what an attempt cost.
 */
export class FakePasswordHasher implements Public<PasswordHasher> {
  readonly params = CURRENT_PARAMS;
  calls = 0;
  hash(password: string): Promise<string> {
    this.calls += 1;
    return Promise.resolve(`hashed:${password}`);
  }
  verify(password: string, stored: string): Promise<boolean> {
    this.calls += 1;
    return Promise.resolve(stored === `hashed:${password}` || stored === `weak:${password}`);
  }
  verifyDummy(): Promise<false> {
    this.calls += 1;
    return Promise.resolve(false);
  }
  needsRehash(stored: string): boolean {
    return !stored.startsWith('hashed:');
  }
}
