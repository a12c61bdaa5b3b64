// Fakes of small injectable helpers that are not repositories.
import type { PasswordHasher } from '../../auth/password.hasher';
import type { Public } from './fakes';

/** Readable "hashes", so that tests can say which password was stored. */
export class FakePasswordHasher implements Public<PasswordHasher> {
  hash(password: string): Promise<string> {
    return Promise.resolve(`hashed:${password}`);
  }
  verify(password: string, stored: string): Promise<boolean> {
    return Promise.resolve(stored === `hashed:${password}`);
  }
}
