// RFC 9497 A.1.1 (ristretto255-SHA512, OPRF base mode) on both group libraries: the key
// from the RFC's seed, Blind with the RFC's blind, BlindEvaluate, Finalize; fresh values
// agree with @noble/curves' own OPRF (an independent implementation) both ways; what a
// hostile peer sends is refused the same way by both.
import { ristretto255, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { expandMessageXmd } from './expand-message';
import { OprfSuite } from './oprf-suite';
import { loadNobleGroup, loadSodiumGroup } from './ristretto-group';
import { RFC9497_RISTRETTO255 } from './rfc9497-vectors';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

const rfc = RFC9497_RISTRETTO255;
const seed = hex(rfc.seed);
const keyInfo = hex(rfc.keyInfo);
const skSm = rfc.secretKey;
const rfcBlind = rfc.blind;
const vectors = rfc.vectors;

describe('expandMessageXmd (RFC 9380 K.3, SHA-512)', () => {
  const dst = Buffer.from('QUUX-V01-CS02-with-expander-SHA512-256');
  it.each([
    ['', 0x20, '6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba'],
    ['abc', 0x20, '0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc'],
  ])('expands %j to %d bytes as the RFC does', (message, length, expected) => {
    expect(toHex(expandMessageXmd(Buffer.from(message), dst, length))).toBe(expected);
  });

  it('expands past one hash block (the chained blocks)', () => {
    const expected =
      '41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7eb00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961';
    expect(toHex(expandMessageXmd(Buffer.from(''), dst, 0x80))).toBe(expected);
  });
});

describe.each([
  ['libsodium-wasm', 'libsodium-wasm', () => loadSodiumGroup()],
  // The agent's way: V8's baseline code only (a separate instance, compiled under the flag).
  ['libsodium-wasm, never optimised', 'libsodium-wasm', () => loadSodiumGroup(undefined, { optimise: false })],
  ['noble', 'noble', () => loadNobleGroup()],
])('OprfSuite over %s (RFC 9497 A.1.1)', (_name, implementation, load) => {
  const suite = async () => {
    const group = await load();
    expect(group.implementation).toBe(implementation);
    return new OprfSuite(group);
  };

  it('derives the RFC key from its seed and key info', async () => {
    expect(toHex((await suite()).deriveSecretKey(seed, keyInfo))).toBe(skSm);
  });

  it.each(vectors)('blinds, evaluates and finalizes input $input as the RFC does', async (v) => {
    const s = await suite();
    expect(toHex(s.blind(hex(v.input), hex(rfcBlind)).blinded)).toBe(v.blinded);
    expect(toHex(s.blindEvaluate(hex(skSm), hex(v.blinded)))).toBe(v.evaluated);
    expect(toHex(s.finalize(hex(v.input), hex(rfcBlind), hex(v.evaluated)))).toBe(v.output);
  });

  it("agrees with noble's own OPRF on fresh values and keys, in both directions", async () => {
    const s = await suite();
    const { oprf } = ristretto255_oprf;
    for (let i = 0; i < 8; i++) {
      const input = Buffer.from(`user\0nurse.${i}`);
      const key = s.randomScalar();
      // Our client against noble's server…
      const ours = s.blind(input);
      const output = s.finalize(input, ours.blind, oprf.blindEvaluate(key, ours.blinded));
      // …and noble's client against our server: one PRF, whatever the blinds.
      const theirs = oprf.blind(input);
      expect(toHex(oprf.finalize(input, theirs.blind, s.blindEvaluate(key, theirs.blinded)!))).toBe(toHex(output));
      expect(toHex(ours.blinded)).not.toBe(toHex(theirs.blinded));
    }
  });

  it('refuses an identity element, a non-canonical encoding and a wrong length', async () => {
    const s = await suite();
    const key = hex(skSm);
    expect(s.blindEvaluate(key, ristretto255.Point.ZERO.toBytes())).toBeUndefined();
    expect(s.blindEvaluate(key, hex('ff'.repeat(32)))).toBeUndefined();
    expect(s.blindEvaluate(key, hex(vectors[0].blinded).subarray(0, 31))).toBeUndefined();
    expect(() => s.finalize(hex('00'), hex(rfcBlind), new Uint8Array(32))).toThrow(/not a valid group element/);
    expect(() => s.blind(hex('00'), new Uint8Array(32))).toThrow(/cannot be blinded/);
  });

  it('makes non-zero random scalars below the group order', async () => {
    const s = await suite();
    const order = ristretto255.Point.Fn.ORDER;
    for (let i = 0; i < 32; i++) {
      const scalar = s.randomScalar();
      const value = BigInt(`0x${toHex(Buffer.from(scalar).reverse())}`);
      expect(value > 0n && value < order).toBe(true);
    }
  });
});
