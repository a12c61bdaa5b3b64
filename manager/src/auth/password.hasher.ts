// scrypt password hashes: scrypt$N$r$p$salt$hash, compared in constant time.
//
// Parameters follow OWASP's current guidance for scrypt (N = 2^17, r = 8, p = 1: about
// 128 MiB and a few hundred ms per hash). Every stored hash names its own parameters,
// so hashes made with older, weaker ones still verify and are replaced at the next
// successful sign-in (`needsRehash`). Sign-in refuses throttled and malformed attempts
// before it gets here (auth/throttle/): each call is the expensive part.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const CURRENT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const KEY_LENGTH = 32;
/** Stored hashes above this cost are refused unread: a row cannot make one sign-in take minutes. */
const MAX_N = 2 ** 20;

/** scrypt needs 128 · N · r bytes; node refuses anything above maxmem, so it is set from the parameters. */
function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): StoredHash | undefined {
  const [scheme, n, r, p, salt, hash, extra] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || extra !== undefined) return undefined;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const valid =
    Number.isInteger(params.N) &&
    params.N >= 2 &&
    params.N <= MAX_N &&
    (params.N & (params.N - 1)) === 0 &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    params.r <= 32 &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= 16;
  return valid ? { params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(hash, 'base64url') } : undefined;
}

/** Token for other scrypt parameters than today's (tests of the upgrade make old hashes with it). */
export const SCRYPT_PARAMS = Symbol('ScryptParams');

/** Hashes of a random password, one per parameter set, made at first need: unknown users are checked against one. */
const dummies = new Map<string, Promise<string>>();

@Injectable()
export class PasswordHasher {
  readonly params: Readonly<ScryptParams>;

  constructor(@Optional() @Inject(SCRYPT_PARAMS) params?: Readonly<ScryptParams>) {
    this.params = params ?? CURRENT_PARAMS;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const { N, r, p } = this.params;
    const key = await derive(password, salt, this.params);
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const key = await derive(password, parsed.salt, parsed.params);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  /** Spends what verifying a real account costs, and is always false. */
  async verifyDummy(password: string): Promise<false> {
    const key = `${this.params.N}$${this.params.r}$${this.params.p}`;
    let dummy = dummies.get(key);
    if (!dummy) dummies.set(key, (dummy = this.hash(randomBytes(24).toString('base64url'))));
    await this.verify(password, await dummy);
    return false;
  }

  /** True when the stored hash was made with weaker parameters than today's (or is not one of ours). */
  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    if (!parsed) return true;
    const { N, r, p } = parsed.params;
    return N < this.params.N || r < this.params.r || p < this.params.p || parsed.key.length < KEY_LENGTH;
  }
}
