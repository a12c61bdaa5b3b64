// Addresses in OPRF mode: the manager is asked for an address's NETWORK (/24, /64), once;
// every address of that network then gets its token here, with no call, equal to what the
// manager's key gives (shared oprfAddressMac). A value of kind ip that is not an address is
// asked for itself. A cache file of format 2 (one PRF value per address) keeps its other
// values but never lends an address MAC for a network key. Folders: oprf-folder-keys.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../pseudonymizer';
import { loadOprfCache, OPRF_CACHE_FILE, OPRF_CACHE_VERSION, OprfCacheFile } from './cache-file';
import { OprfTokens } from './oprf-tokens';
import { countingEvaluator, expected } from './oprf-test-kit.fixture';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ww-oprf-networks-'));
  dirs.push(dir);
  return dir;
}

describe('OPRF mode: an address is keyed by its network', () => {
  it('asks for a new /24 once; a new address in a known /24 needs no call', async () => {
    const tokens = new OprfTokens();
    const pseudonyms = new Pseudonymizer(tokens);
    const { evaluator, counted } = countingEvaluator();
    // Two new addresses of one /24: one value wanted, the network.
    expect(pseudonyms.ip('10.1.7.1')).toBe('');
    expect(pseudonyms.ip('10.1.7.2')).toBe('');
    expect(tokens.stats).toMatchObject({ wanted: 1 });
    expect(await tokens.fetch(evaluator)).toBe(1);
    expect(counted).toEqual({ calls: 1, values: 1 });
    // Every address of that /24, seen or not and however spelled, has the token of the manager's key.
    for (const address of ['10.1.7.1', '10.1.7.2', '10.1.7.254', '::ffff:10.1.7.9'])
      expect(pseudonyms.ip(address)).toBe(expected('ip', 'ip', address));
    expect(pseudonyms.ip('::ffff:10.1.7.9')).toBe(pseudonyms.ip('10.1.7.9'));
    expect(pseudonyms.ip('10.1.7.1')).not.toBe(pseudonyms.ip('10.1.7.2'));
    // A host given as an address of that /24 is that address's token, with no call.
    expect(pseudonyms.host('10.1.7.77')).toBe(expected('ip', 'ip', '10.1.7.77'));
    expect(tokens.pending).toBe(0);
    expect(counted.calls).toBe(1);
    // A new /24 is wanted once more — the network, not the address.
    expect(pseudonyms.ip('10.1.8.1')).toBe('');
    expect(pseudonyms.host('10.1.8.2')).toBe('');
    expect(tokens.stats).toMatchObject({ wanted: 1 });
    await tokens.fetch(evaluator);
    expect(counted).toEqual({ calls: 2, values: 2 });
    expect(pseudonyms.host('10.1.8.2')).toBe(expected('ip', 'ip', '10.1.8.2'));
  });

  it('groups IPv6 by /64', async () => {
    const tokens = new OprfTokens();
    const { evaluator, counted } = countingEvaluator();
    expect(tokens.mac('ip', '2001:db8:0:7::1')).toBeUndefined();
    expect(tokens.mac('ip', '[2001:db8:0:7:ffff::2]')).toBeUndefined();
    expect(tokens.mac('ip', '2001:db8:0:8::1')).toBeUndefined();
    expect(tokens.stats).toMatchObject({ wanted: 2 });
    await tokens.fetch(evaluator);
    expect(counted).toEqual({ calls: 1, values: 2 });
    for (const address of ['2001:db8:0:7::1', '2001:db8:0:7:abcd::9', '2001:db8:0:8::1'])
      expect(`ip_${tokens.mac('ip', address)}`).toBe(expected('ip', 'ip', address));
  });

  it('asks for a value of kind ip that is not an address as a value of its own', async () => {
    const tokens = new OprfTokens();
    const pseudonyms = new Pseudonymizer(tokens);
    expect(pseudonyms.ip('unknown-source')).toBe('');
    expect(pseudonyms.ip('unknown-source')).toBe('');
    await tokens.fetch(countingEvaluator().evaluator);
    expect(pseudonyms.ip('unknown-source')).toBe(expected('ip', 'ip', 'unknown-source'));
    expect(tokens.entries()).toEqual([
      { input: 'ip\0unknown-source', value: expected('ip', 'ip', 'unknown-source').slice(3) },
    ]);
  });

  it('saves network keys in format 3 and answers a new address of a saved /24 offline after a restart', async () => {
    const dir = dataDir();
    const first = new OprfTokens();
    expect(first.mac('ip', '203.0.113.7')).toBeUndefined();
    await first.fetch(countingEvaluator().evaluator);
    new OprfCacheFile(dir, first).save();
    const saved = JSON.parse(readFileSync(join(dir, OPRF_CACHE_FILE), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ version: 3, keyId: 'k1' });
    expect(saved.entries).toEqual([
      { input: 'network\x00203.0.113.0/24', value: expect.stringMatching(/^[0-9a-f]{64}$/) as string },
    ]);
    expect(JSON.stringify(saved)).not.toContain('203.0.113.7');

    const restarted = new OprfTokens({}, loadOprfCache(dir));
    expect(`ip_${restarted.mac('ip', '203.0.113.99')}`).toBe(expected('ip', 'ip', '203.0.113.99'));
    expect(restarted.pending).toBe(0);
  });

  it("drops a format-2 cache's address MACs (never read as network keys) and keeps its other values", () => {
    const dir = dataDir();
    const userMac = expected('u', 'user', 'nurse.jones').slice(2);
    writeFileSync(
      join(dir, OPRF_CACHE_FILE),
      JSON.stringify({
        version: 2,
        keyId: 'k1',
        entries: [
          { input: 'ip\x00203.0.113.7', value: '0123456789abcdef' },
          { input: 'folder\x00/srv/', value: 'ab'.repeat(32) },
          { input: 'user\x00nurse.jones', value: userMac },
        ],
      }),
    );
    const stored = loadOprfCache(dir);
    expect(stored?.tokens.map((t) => t.input)).toEqual(['folder\0/srv/', 'user\0nurse.jones']);
    const tokens = new OprfTokens({}, stored);
    expect(tokens.mac('user', 'nurse.jones')).toBe(userMac);
    expect(tokens.mac('ip', '203.0.113.7')).toBeUndefined();
    expect(tokens.stats).toMatchObject({ cached: 2, wanted: 1 });
    expect(tokens.entries().some((t) => t.input.startsWith('ip\0'))).toBe(false);
  });

  it('refuses a format-3 file whose network entry is not a network key', () => {
    const dir = dataDir();
    const write = (value: string) =>
      writeFileSync(
        join(dir, OPRF_CACHE_FILE),
        JSON.stringify({
          version: OPRF_CACHE_VERSION,
          keyId: 'k1',
          entries: [{ input: 'network\x0010.1.7.0/24', value }],
        }),
      );
    write('0123456789abcdef');
    expect(loadOprfCache(dir)).toBeUndefined();
    write('0123456789abcdef'.repeat(4));
    expect(loadOprfCache(dir)?.tokens).toHaveLength(1);
  });
});
