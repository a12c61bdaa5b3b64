// Taking libsodium's binary out of the package's script: the real script yields a module
// with our functions; a script of another shape is refused, not half-read. The arithmetic
// itself is checked against RFC 9497 in oprf-suite.test.ts.
import { describe, expect, it } from 'vitest';
import { SODIUM_FUNCTIONS, extractSodiumWasm, instantiateSodiumWasm, readSodiumScript } from './sodium-wasm';

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
