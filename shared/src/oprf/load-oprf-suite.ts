// The one place that chooses the OPRF's group library: libsodium in WebAssembly, checked
// against an RFC 9497 vector before it is trusted, else @noble/curves with the reason kept
// for the caller to log once. Loaded once per thread (a promise kept for the process), and
// only when a token is first made or evaluated.
import { OprfSuite } from './oprf-suite';
import { loadNobleGroup, loadSodiumGroup, type RistrettoGroup } from './ristretto-group';
import { RFC9497_RISTRETTO255 } from './rfc9497-vectors';
import type { SodiumWasmOptions } from './sodium-wasm';

export interface LoadedOprfSuite {
  suite: OprfSuite;
  /** Why the fast library is not used (undefined when it is). */
  fallbackReason: string | undefined;
}

/** RFC 9497 A.1.1, OPRF mode, vector 1: input 0x00 blinded with the RFC's blind. */
const KNOWN_ANSWER = {
  input: Buffer.from(RFC9497_RISTRETTO255.vectors[0].input, 'hex'),
  blind: Buffer.from(RFC9497_RISTRETTO255.blind, 'hex'),
  blinded: RFC9497_RISTRETTO255.vectors[0].blinded,
};

/** Throws unless the suite over `group` reproduces the RFC's blinded element. */
export function checkedSuite(group: RistrettoGroup): OprfSuite {
  const suite = new OprfSuite(group);
  const { blinded } = suite.blind(KNOWN_ANSWER.input, KNOWN_ANSWER.blind);
  if (Buffer.from(blinded).toString('hex') !== KNOWN_ANSWER.blinded)
    throw new Error(`${group.implementation} does not reproduce RFC 9497's vector`);
  return suite;
}

/** The fast group if it loads and passes the known answer, else the fallback with the reason. */
export async function pickOprfSuite(
  fast: () => Promise<RistrettoGroup> = loadSodiumGroup,
  fallback: () => Promise<RistrettoGroup> = loadNobleGroup,
): Promise<LoadedOprfSuite> {
  try {
    return { suite: checkedSuite(await fast()), fallbackReason: undefined };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { suite: checkedSuite(await fallback()), fallbackReason: reason };
  }
}

let loaded: Promise<LoadedOprfSuite> | undefined;

/** The process's OPRF suite, chosen (with the first call's options) at the first call. */
export function loadOprfSuite(options: SodiumWasmOptions = {}): Promise<LoadedOprfSuite> {
  return (loaded ??= pickOprfSuite(() => loadSodiumGroup(undefined, options)));
}
