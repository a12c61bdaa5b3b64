// RFC 9497's OPRF in base mode for the ristretto255-SHA512 suite (§4.1), over a
// RistrettoGroup: the client's Blind and Finalize (the agent), the server's BlindEvaluate
// (the manager), key generation and the RFC's DeriveKeyPair. The hashing (expand_message_xmd,
// Finalize's SHA-512) is node:crypto's; only the group arithmetic comes from the library.
import { createHash, randomBytes } from 'node:crypto';
import { expandMessageXmd } from './expand-message';
import { OPRF_SCALAR_BYTES, OPRF_UNIFORM_BYTES, type RistrettoGroup } from './ristretto-group';

/** RFC 9497 §3.1: "OPRFV1-" || I2OSP(mode = 0x00, 1) || "-" || identifier. */
const CONTEXT = Buffer.concat([Buffer.from('OPRFV1-'), Uint8Array.of(0), Buffer.from('-ristretto255-SHA512')]);
const HASH_TO_GROUP_DST = Buffer.concat([Buffer.from('HashToGroup-'), CONTEXT]);
const DERIVE_KEY_PAIR_DST = Buffer.concat([Buffer.from('DeriveKeyPair'), CONTEXT]);
const FINALIZE = Buffer.from('Finalize');
/** RFC 9497 §2.1: inputs and info are at most 2^16 - 1 bytes (their length is 2 bytes). */
const MAX_INPUT_BYTES = 0xffff;

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const isZero = (bytes: Uint8Array) => bytes.every((b) => b === 0);

export interface Blinded {
  /** The secret blind (a scalar): kept by the client until Finalize. */
  blind: Uint8Array;
  /** The blinded element sent to the server. */
  blinded: Uint8Array;
}

export class OprfSuite {
  constructor(readonly group: RistrettoGroup) {}

  get implementation() {
    return this.group.implementation;
  }

  /** A uniformly random non-zero scalar (the server's key or a blind). */
  randomScalar(): Uint8Array {
    for (;;) {
      const scalar = this.group.reduce(randomBytes(OPRF_UNIFORM_BYTES));
      if (!isZero(scalar)) return scalar;
    }
  }

  /** RFC 9497 §3.2.1 DeriveKeyPair: the secret scalar from a seed and key info. */
  deriveSecretKey(seed: Uint8Array, info: Uint8Array): Uint8Array {
    if (seed.length !== OPRF_SCALAR_BYTES) throw new RangeError('the seed is 32 bytes');
    if (info.length > MAX_INPUT_BYTES) throw new RangeError('the key info is too long');
    const deriveInput = Buffer.concat([seed, u16(info.length), info]);
    for (let counter = 0; counter < 256; counter++) {
      const wide = expandMessageXmd(Buffer.concat([deriveInput, Uint8Array.of(counter)]), DERIVE_KEY_PAIR_DST, 64);
      const scalar = this.group.reduce(wide);
      if (!isZero(scalar)) return scalar;
    }
    throw new Error('DeriveKeyPair found no non-zero scalar');
  }

  /** RFC 9497 §3.3.1 Blind; `blind` is given only by tests that replay the RFC's vectors. */
  blind(input: Uint8Array, blind: Uint8Array = this.randomScalar()): Blinded {
    if (input.length > MAX_INPUT_BYTES) throw new RangeError('the OPRF input is too long');
    const element = this.group.fromUniform(expandMessageXmd(input, HASH_TO_GROUP_DST, OPRF_UNIFORM_BYTES));
    const blinded = this.group.multiply(blind, element);
    // The identity only for a zero blind or an input hashing to the identity (RFC: InvalidInputError).
    if (!blinded) throw new Error('the OPRF input cannot be blinded');
    return { blind, blinded };
  }

  /** RFC 9497 §3.3.1 BlindEvaluate; undefined for bytes that are not a valid non-identity element. */
  blindEvaluate(secretKey: Uint8Array, blinded: Uint8Array): Uint8Array | undefined {
    return this.group.multiply(secretKey, blinded);
  }

  /** RFC 9497 §3.3.1 Finalize: the 64-byte PRF output; throws for an invalid evaluated element. */
  finalize(input: Uint8Array, blind: Uint8Array, evaluated: Uint8Array): Uint8Array {
    if (input.length > MAX_INPUT_BYTES) throw new RangeError('the OPRF input is too long');
    const unblinded = this.group.multiply(this.group.invert(blind), evaluated);
    if (!unblinded) throw new Error('the evaluated element is not a valid group element');
    return createHash('sha512')
      .update(u16(input.length))
      .update(input)
      .update(u16(unblinded.length))
      .update(unblinded)
      .update(FINALIZE)
      .digest();
  }
}
