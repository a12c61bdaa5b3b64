// Taking libsodium's binary out of the package's script: the real script yields a module
// with our functions; a script of another shape is refused, not half-read. The build's
// cut-down binary computes what the whole one does. The arithmetic itself is checked against
// RFC 9497 in oprf-suite.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedSuite } from './load-oprf-suite';
import { sodiumGroup } from './ristretto-group';
import {
  RISTRETTO_NAMES_FILE,
  RISTRETTO_WASM_FILE,
  SODIUM_FUNCTIONS,
  extractSodiumWasm,
  instantiateSodiumWasm,
  readRistrettoWasm,
  readSodiumScript,
} from './sodium-wasm';

/** Where `npm run build` writes the cut-down binary (the tests run after the build). */
const BUILT = join(__dirname, '..', '..', 'dist', 'oprf');

describe('extractSodiumWasm', () => {
  it("finds the WebAssembly binary and our functions' exports in libsodium-sumo's script", async () => {
    const source = extractSodiumWasm(await readSodiumScript());
    expect(Buffer.from(source.binary.subarray(0, 4)).toString('latin1')).toBe('\0asm');
    const { call, memory } = await instantiateSodiumWasm(source);
    for (const name of SODIUM_FUNCTIONS) expect(typeof call[name]).toBe('function');
    expect(call.malloc(64)).toBeGreaterThan(0);
    expect(memory.buffer.byteLength).toBeGreaterThan(0);
    // Five distinct functions, not one name matched five times.
    expect(new Set(Object.values(source.exportNames)).size).toBe(SODIUM_FUNCTIONS.length);
  });

  it('takes the last assignment of a name (the WebAssembly build follows the JavaScript one)', () => {
    const assignments = (prefix: string) => SODIUM_FUNCTIONS.map((n, i) => `M._${n}=A.${prefix}${i}`).join(',');
    const script = `${assignments('js')};${assignments('w')};x("AGFzbQEAAAA=")`;
    const source = extractSodiumWasm(Buffer.from(script));
    expect(source.exportNames.crypto_scalarmult_ristretto255).toBe('w1');
    expect(Array.from(source.binary)).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  });

  it('refuses a script without the binary or without one of the functions', () => {
    const all = SODIUM_FUNCTIONS.map((n, i) => `M._${n}=A.f${i}`).join(',');
    expect(() => extractSodiumWasm(Buffer.from(`${all};`))).toThrow(/no embedded WebAssembly binary/);
    const withoutMalloc = SODIUM_FUNCTIONS.filter((n) => n !== 'malloc')
      .map((n, i) => `M._${n}=A.f${i}`)
      .join(',');
    expect(() => extractSodiumWasm(Buffer.from(`${withoutMalloc};x("AGFzbQEAAAA=")`))).toThrow(/no export for malloc/);
  });

  it('refuses a binary that lacks an export it was told of', async () => {
    const source = extractSodiumWasm(await readSodiumScript());
    const wrong = { ...source, exportNames: { ...source.exportNames, malloc: 'no-such-export' } };
    await expect(instantiateSodiumWasm(wrong)).rejects.toThrow(/export for malloc is not a function/);
  });
});

describe("the build's cut-down binary", () => {
  it('is a fraction of the whole, passes the RFC known answer and multiplies as the whole does', async () => {
    const small = await readRistrettoWasm(BUILT);
    if (!small) throw new Error(`no ${RISTRETTO_WASM_FILE} in ${BUILT}: run npm run build`);
    const whole = extractSodiumWasm(await readSodiumScript());
    expect(small.binary.length).toBeLessThan(whole.binary.length / 2);
    const cut = sodiumGroup(await instantiateSodiumWasm(small, { optimise: false }));
    const full = sodiumGroup(await instantiateSodiumWasm(whole, { optimise: false }));
    expect(() => checkedSuite(cut)).not.toThrow();
    for (let i = 0; i < 8; i++) {
      const uniform = new Uint8Array(64).map((_, j) => (i * 31 + j * 7) & 0xff);
      const wide = new Uint8Array(64).map((_, j) => (i * 13 + j * 3 + 1) & 0xff);
      const element = cut.fromUniform(uniform);
      expect(element).toEqual(full.fromUniform(uniform));
      const scalar = cut.reduce(wide);
      expect(scalar).toEqual(full.reduce(wide));
      expect(cut.multiply(scalar, element)).toEqual(full.multiply(scalar, element));
      expect(cut.invert(scalar)).toEqual(full.invert(scalar));
    }
    expect(cut.multiply(cut.reduce(new Uint8Array(64).fill(5)), new Uint8Array(32))).toBeUndefined(); // identity
  });

  it('is not used when missing or when its names are not identifiers', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ww-ristretto-'));
    expect(await readRistrettoWasm(folder)).toBeUndefined();
    writeFileSync(join(folder, RISTRETTO_WASM_FILE), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const names = Object.fromEntries(SODIUM_FUNCTIONS.map((name, i) => [name, `f${i}`]));
    writeFileSync(join(folder, RISTRETTO_NAMES_FILE), JSON.stringify({ ...names, malloc: 'a"); evil(' }));
    expect(await readRistrettoWasm(folder)).toBeUndefined();
    writeFileSync(join(folder, RISTRETTO_NAMES_FILE), JSON.stringify(names));
    expect((await readRistrettoWasm(folder))?.exportNames.malloc).toBe('f4');
  });
});
