// The manager's OPRF key (RFC 9497, ristretto255-SHA512, base mode) and the two things
// done with it: evaluating an agent's blinded elements, and computing a value's PRF
// output itself for re-identification. The secret scalar never leaves this object
// (not in logs, not in errors, not to agents) except to the manager's own evaluation
// worker thread (blind-evaluator.ts), in memory. The arithmetic is the suite's
// (@wardwatch/shared/oprf: libsodium in WebAssembly, else noble).
import { OPRF_SCALAR_BYTES, type OprfSuite } from '@wardwatch/shared/oprf';
import { createHash } from 'node:crypto';

/** A ristretto255 element and scalar are 32 bytes each. */
export const OPRF_ELEMENT_BYTES = 32;

export class OprfKey {
  /** Names the key (a hash of one PRF output, so it says nothing of the key): agents drop tokens cached under another. */
  readonly keyId: string;

  constructor(
    private readonly secretKey: Uint8Array,
    private readonly suite: OprfSuite,
  ) {
    if (secretKey.length !== OPRF_SCALAR_BYTES) throw new Error('the OPRF key must be a 32-byte scalar');
    const probe = this.output(Buffer.from('wardwatch oprf key id'));
    this.keyId = createHash('sha256').update(probe).digest('hex').slice(0, 16);
  }

  /** A new random key and its secret bytes (for sealing). */
  static generate(suite: OprfSuite): { key: OprfKey; secret: Uint8Array } {
    const secretKey = suite.randomScalar();
    return { key: new OprfKey(secretKey, suite), secret: secretKey };
  }

  /** A copy of the scalar for the evaluation worker thread (blind-evaluator.ts) only. */
  secretForWorker(): Uint8Array {
    return Uint8Array.from(this.secretKey);
  }

  /**
   * The evaluated element for one blinded element, or undefined when the bytes are not a
   * canonical ristretto255 encoding of a non-identity element (a hostile agent's probe).
   */
  evaluate(blinded: Uint8Array): Uint8Array | undefined {
    return this.suite.blindEvaluate(this.secretKey, blinded);
  }

  /**
   * The PRF output for an input, as an agent's finalize yields it. Computed through the
   * same three public steps (blind, evaluate, finalize): the result does not depend on
   * the blind.
   */
  output(input: Uint8Array): Uint8Array {
    const { blind, blinded } = this.suite.blind(input);
    const evaluated = this.suite.blindEvaluate(this.secretKey, blinded);
    if (!evaluated) throw new Error('the OPRF key is not a valid scalar');
    return this.suite.finalize(input, blind, evaluated);
  }
}
