// The manager's path against RFC 9497, Appendix A.1.1 (ristretto255-SHA512, OPRF base
// mode): the key derived from the RFC's seed, the blinded element for the RFC's blind,
// the server's evaluation, the client's finalize (noble's, an independent implementation)
// — and OprfKey, which agents and re-identification rely on, giving the same output over
// either group library the suite may pick.
import { ristretto255, ristretto255_hasher, ristretto255_oprf } from '@noble/curves/ed25519.js';
import { loadNobleGroup, loadSodiumGroup, OprfSuite } from '@wardwatch/shared/oprf';
import { describe, expect, it } from 'vitest';
import { OprfKey } from './oprf-key';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const seed = hex('a3'.repeat(32));
const keyInfo = Buffer.from('test key');
const skSm = '5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e';
const blind = '64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706';
const vectors = [
  {
    input: '00',
    blinded: '609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c',
    evaluated: '7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e',
    output:
      '527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6',
  },
  {
    input: '5a'.repeat(17),
    blinded: 'da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418',
    evaluated: 'b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25',
    output:
      'f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73',
  },
];
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
