// The manager's path against RFC 9497, Appendix A.1.1 (ristretto255-SHA512, OPRF base
// mode): the key derived from the RFC's seed, the blinded element for the RFC's blind,
// the server's evaluation, the client's finalize (noble's, an independent implementation)
// — and OprfKey, which agents and re-identification rely on, giving the same output over
// either group library the suite may pick.
import { ristretto255, ristretto255_hasher, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { loadNobleGroup, loadSodiumGroup, OprfSuite, RFC9497_RISTRETTO255 } from '@wardwatch/shared/oprf';
import { describe, expect, it } from 'vitest';
import { OprfKey } from './oprf-key';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const rfc = RFC9497_RISTRETTO255;
const seed = hex(rfc.seed);
const keyInfo = hex(rfc.keyInfo);
const skSm = rfc.secretKey;
const blind = rfc.blind;
const vectors = rfc.vectors;
/** RFC 9497 §4.1: "HashToGroup-" || "OPRFV1-" || mode 0x00 || "-ristretto255-SHA512". */
const hashToGroupDst = Buffer.concat([
  Buffer.from('HashToGroup-OPRFV1-'),
  Buffer.of(0),
  Buffer.from('-ristretto255-SHA512'),
]);

describe('ristretto255-SHA512 OPRF (RFC 9497 A.1.1)', () => {
  const { oprf } = ristretto255_oprf;

  it('derives the RFC key from its seed and key info', () => {
    expect(toHex(oprf.deriveKeyPair(seed, keyInfo).secretKey)).toBe(skSm);
  });

  it.each(vectors)('blinds, evaluates and finalizes input $input as the RFC does', (v) => {
    const scalar = Buffer.from(hex(blind)).reverse(); // scalars are little-endian
    const point = ristretto255_hasher.hashToCurve(hex(v.input), { DST: hashToGroupDst });
    const blinded = point.multiply(BigInt(`0x${scalar.toString('hex')}`));
    expect(toHex(blinded.toBytes())).toBe(v.blinded);
    expect(toHex(oprf.blindEvaluate(hex(skSm), hex(v.blinded)))).toBe(v.evaluated);
    expect(toHex(oprf.finalize(hex(v.input), hex(blind), hex(v.evaluated)))).toBe(v.output);
  });
});

describe.each([
  ['libsodium-wasm', loadSodiumGroup],
  ['noble', loadNobleGroup],
])('OprfKey over %s (RFC 9497 A.1.1)', (_name, loadGroup) => {
  const rfcKey = async () => new OprfKey(hex(skSm), new OprfSuite(await loadGroup()));

  it.each(vectors)('evaluates and outputs input $input as the RFC does', async (v) => {
    const key = await rfcKey();
    expect(toHex(key.evaluate(hex(v.blinded))!)).toBe(v.evaluated);
    expect(toHex(key.output(hex(v.input)))).toBe(v.output);
  });

  it('refuses an identity element, a non-canonical encoding and a wrong length from the wire', async () => {
    const key = await rfcKey();
    expect(key.evaluate(ristretto255.Point.ZERO.toBytes())).toBeUndefined();
    expect(key.evaluate(hex('ff'.repeat(32)))).toBeUndefined();
    expect(key.evaluate(hex(vectors[0].blinded).subarray(0, 31))).toBeUndefined();
    expect(toHex(key.evaluate(hex(vectors[0].blinded))!)).toBe(vectors[0].evaluated);
  });
});
