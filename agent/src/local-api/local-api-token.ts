// The local API's bearer token: 32 random bytes, new at every start, in a file
// only the agent's own account (the local admin) can read. Compared in constant
// time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { writeAtomic } from '../identity/identity-store';

export const LOCAL_API_TOKEN_FILE = 'local-api.token';
export const LOCAL_API_INFO_FILE = 'local-api.json';

export function createLocalApiToken(dataDir: string): string {
  const token = randomBytes(32).toString('hex');
  writeAtomic(join(dataDir, LOCAL_API_TOKEN_FILE), `${token}\n`, 0o600);
  return token;
}

/** True when the Authorization header carries exactly this bearer token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)$/.exec(header ?? '');
  if (!match) return false;
  // Hash both sides so the comparison is constant-time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** Only loopback names: a page on a rebinding DNS name reaching 127.0.0.1 carries its own name here. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const allowed = ['127.0.0.1', 'localhost', '[::1]'];
  return allowed.some((name) => host === name || host === `${name}:${port}`);
}
