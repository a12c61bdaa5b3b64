// The ristretto255 group operations RFC 9497's OPRF needs, from one of two libraries:
// libsodium compiled to WebAssembly (libsodium-sumo's binary, sodium-wasm.ts: ~0.2 ms a
// scalar multiplication) or @noble/curves in plain JavaScript (~1.8 ms), kept as the fallback.
// Both are loaded only when asked for (libsodium's binary read at the first call, noble by
// dynamic import), so a process that never makes an OPRF token pays neither's memory. Elements are 32-byte canonical encodings, scalars 32
// bytes little-endian, reduced modulo the group order.
import { loadSodiumWasm, type SodiumWasm, type SodiumWasmOptions } from './sodium-wasm';

export type RistrettoImplementation = 'libsodium-wasm' | 'noble';

export interface RistrettoGroup {
  readonly implementation: RistrettoImplementation;
  /** The element for 64 uniform bytes (RFC 9496 §4.3.4, the last step of hash-to-group). */
  fromUniform(bytes: Uint8Array): Uint8Array;
  /**
   * `scalar · element`; undefined when `element` is not a canonical encoding of a
   * non-identity element or the product is the identity (a hostile peer's probe).
   */
  multiply(scalar: Uint8Array, element: Uint8Array): Uint8Array | undefined;
  /** The inverse of a non-zero scalar modulo the group order. */
  invert(scalar: Uint8Array): Uint8Array;
  /** 64 bytes (little-endian) reduced modulo the group order. */
  reduce(wide: Uint8Array): Uint8Array;
}

export const OPRF_ELEMENT_BYTES = 32;
export const OPRF_SCALAR_BYTES = 32;
export const OPRF_UNIFORM_BYTES = 64;

function expectLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) throw new RangeError(`a ${what} is ${length} bytes, not ${bytes.length}`);
}

/**
 * libsodium's ristretto255 in WebAssembly, instantiated from the package `moduleName` (a
 * parameter so the fallback path can be exercised with a module that does not exist).
 * Rejects when it cannot load or lacks the functions.
 */
export async function loadSodiumGroup(
  moduleName = 'libsodium-sumo',
  options: SodiumWasmOptions = {},
): Promise<RistrettoGroup> {
  return sodiumGroup(await loadSodiumWasm(moduleName, options), moduleName);
}

/** The group over an instantiated libsodium (`what` names it in errors). */
export function sodiumGroup({ memory, call }: SodiumWasm, what = 'libsodium'): RistrettoGroup {
  // One scratch area for every call: [0, 32) the result, [32, 96) the first argument,
  // [96, 128) the second. Wiped after each call, as it held a scalar (a blind or the key).
  const scratch = call.malloc(128);
  if (scratch === 0) throw new Error(`${what} could not allocate`);
  const OUT = scratch;
  const ARG1 = scratch + 32;
  const ARG2 = scratch + 96;
  const run = (first: Uint8Array, second: Uint8Array | undefined, compute: () => number) => {
    const view = new Uint8Array(memory.buffer, scratch, 128); // anew: a grown memory detaches the old
    view.set(first, 32);
    if (second) view.set(second, 96);
    const status = compute();
    const out = status === 0 ? view.slice(0, 32) : undefined;
    view.fill(0);
    return out;
  };
  return {
    implementation: 'libsodium-wasm',
    fromUniform(bytes) {
      expectLength(bytes, OPRF_UNIFORM_BYTES, 'uniform string');
      return run(bytes, undefined, () => call.crypto_core_ristretto255_from_hash(OUT, ARG1))!;
    },
    multiply(scalar, element) {
      expectLength(scalar, OPRF_SCALAR_BYTES, 'scalar');
      if (element.length !== OPRF_ELEMENT_BYTES) return undefined;
      // Non-zero (undefined here) for a non-canonical or identity element and an identity product.
      return run(scalar, element, () => call.crypto_scalarmult_ristretto255(OUT, ARG1, ARG2));
    },
    invert(scalar) {
      expectLength(scalar, OPRF_SCALAR_BYTES, 'scalar');
      const inverse = run(scalar, undefined, () => call.crypto_core_ristretto255_scalar_invert(OUT, ARG1));
      if (!inverse) throw new RangeError('zero has no inverse');
      return inverse;
    },
    reduce(wide) {
      expectLength(wide, OPRF_UNIFORM_BYTES, 'wide scalar');
      return run(wide, undefined, () => {
        call.crypto_core_ristretto255_scalar_reduce(OUT, ARG1); // void in C
        return 0;
      })!;
    },
  };
}

/** @noble/curves' ristretto255 in plain JavaScript: slower, but nothing to compile or load. */
export async function loadNobleGroup(): Promise<RistrettoGroup> {
  const { ristretto255, ristretto255_hasher } = await import('@noble/curves/ed25519.js');
  const { Point } = ristretto255;
  const { Fn } = Point;
  const toScalar = (bytes: Uint8Array) => Fn.fromBytes(bytes);
  return {
    implementation: 'noble',
    fromUniform(bytes) {
      expectLength(bytes, OPRF_UNIFORM_BYTES, 'uniform string');
      return ristretto255_hasher.deriveToCurve!(bytes).toBytes();
    },
    multiply(scalar, element) {
      expectLength(scalar, OPRF_SCALAR_BYTES, 'scalar');
      if (element.length !== OPRF_ELEMENT_BYTES) return undefined;
      try {
        const point = Point.fromBytes(element);
        if (point.is0()) return undefined;
        const product = point.multiply(toScalar(scalar));
        return product.is0() ? undefined : product.toBytes();
      } catch {
        return undefined;
      }
    },
    invert(scalar) {
      expectLength(scalar, OPRF_SCALAR_BYTES, 'scalar');
      return Fn.toBytes(Fn.inv(toScalar(scalar)));
    },
    reduce(wide) {
      expectLength(wide, OPRF_UNIFORM_BYTES, 'wide scalar');
      let value = 0n;
      for (let i = wide.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(wide[i]);
      return Fn.toBytes(Fn.create(value));
    },
  };
}
