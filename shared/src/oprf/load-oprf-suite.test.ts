// The choice of library: libsodium when it loads and reproduces the RFC's vector, else
// noble with the reason; a library that loads but computes wrongly is not trusted.
import { describe, expect, it } from 'vitest';
import { loadOprfSuite, pickOprfSuite } from './load-oprf-suite';
import { loadNobleGroup, loadSodiumGroup } from './ristretto-group';

describe('pickOprfSuite', () => {
  it('uses libsodium here, and loads it once per process', async () => {
    const first = await loadOprfSuite();
    expect(first.suite.implementation).toBe('libsodium-wasm');
    expect(first.fallbackReason).toBeUndefined();
    expect(await loadOprfSuite()).toBe(first);
  });

  it('falls back to noble, with the reason, when the module does not load', async () => {
    const picked = await pickOprfSuite(() => loadSodiumGroup('libsodium-sumo-absent'));
    expect(picked.suite.implementation).toBe('noble');
    expect(picked.fallbackReason).toMatch(/libsodium-sumo-absent/);
  });

  it('falls back when the fast library answers wrongly', async () => {
    const sodium = await loadSodiumGroup();
    // A real group whose multiplication is off: the product of the doubled scalar.
    const wrong = {
      ...sodium,
      multiply: (k: Uint8Array, e: Uint8Array) =>
        sodium.multiply(k, sodium.multiply(Uint8Array.of(2, ...new Uint8Array(31)), e)!),
    };
    const picked = await pickOprfSuite(() => Promise.resolve(wrong), loadNobleGroup);
    expect(picked.suite.implementation).toBe('noble');
    expect(picked.fallbackReason).toMatch(/does not reproduce RFC 9497/);
  });
});
