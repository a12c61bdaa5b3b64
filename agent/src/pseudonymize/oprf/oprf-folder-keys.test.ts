// Paths in OPRF mode: the manager is asked for a file's FOLDER, once; every file of that
// folder then gets its token here, with no call, equal to what the manager's key gives
// (shared oprfPathMac). The evaluator is the manager's arithmetic in process with a real key
// (the calls are counted; the wire is oprf-offline.test.ts's). A cache file of the format
// before folder keys keeps its other values but never lends a path MAC for a folder key.
// Addresses, keyed by their network the same way: oprf-network-keys.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../pseudonymizer';
import { loadOprfCache, OPRF_CACHE_FILE, OPRF_CACHE_VERSION, OprfCacheFile } from './cache-file';
import { OprfTokens } from './oprf-tokens';
import { countingEvaluator, expected, expectedPathMac } from './oprf-test-kit.fixture';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ww-oprf-folders-'));
  dirs.push(dir);
  return dir;
}

const place = { folderClass: 'phi', depth: 2 };
const ward3 = (name: string) => `/srv/records/ward3/${name}`;

describe('OPRF mode: a path is keyed by its folder', () => {
  it('asks for a new folder once; a new file in a known folder needs no call', async () => {
    const tokens = new OprfTokens();
    const pseudonyms = new Pseudonymizer(tokens);
    const { evaluator, counted } = countingEvaluator();
    // Three new files of one folder: one value wanted, the folder.
    for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) expect(pseudonyms.path(ward3(name), place)).toBe('');
    expect(tokens.stats).toMatchObject({ wanted: 1 });
    expect(await tokens.fetch(evaluator)).toBe(1);
    expect(counted).toEqual({ calls: 1, values: 1 });
    // Now every file of the folder, seen or not, has the token the manager's key gives.
    for (const name of ['a.pdf', 'b.pdf', 'new-letter.pdf', 'Z.PDF'])
      expect(pseudonyms.path(ward3(name), place)).toBe(`p_phi_d2_${expectedPathMac(ward3(name))}.pdf`);
    expect(new Set(['a', 'b', 'c'].map((n) => pseudonyms.path(ward3(`${n}.pdf`), place))).size).toBe(3);
    expect(pseudonyms.misses).toBe(3);
    expect(tokens.pending).toBe(0);
    expect(await tokens.fetch(evaluator)).toBe(0);
    expect(counted.calls).toBe(1);
    // A new folder is wanted again — the folder, not the path.
    expect(pseudonyms.path('/srv/records/ward4/a.pdf', place)).toBe('');
    expect(tokens.stats).toMatchObject({ wanted: 1 });
    expect(await tokens.fetch(evaluator)).toBe(1);
    expect(counted).toEqual({ calls: 2, values: 2 });
    expect(pseudonyms.path('/srv/records/ward4/a.pdf', place)).toBe(
      `p_phi_d2_${expectedPathMac('/srv/records/ward4/a.pdf')}.pdf`,
    );
    // Users and unusual extensions stay one value each.
    const missed = pseudonyms.misses;
    expect(pseudonyms.user('nurse.jones')).toBe('');
    pseudonyms.path(ward3('x.jones'), place); // its MAC is known, its extension not: a miss (the event waits)
    expect(pseudonyms.misses).toBe(missed + 2);
    expect(tokens.stats).toMatchObject({ wanted: 2 });
    await tokens.fetch(evaluator);
    expect(pseudonyms.user('nurse.jones')).toBe(expected('u', 'user', 'nurse.jones'));
    expect(pseudonyms.path(ward3('x.jones'), place)).toMatch(/^p_phi_d2_[0-9a-f]{16}\.~[0-9a-f]{6}$/);
  });

  it('saves folder keys in format 3 and answers a new file of a saved folder offline after a restart', async () => {
    const dir = dataDir();
    const first = new OprfTokens();
    expect(first.mac('path', ward3('a.pdf'))).toBeUndefined();
    await first.fetch(countingEvaluator().evaluator);
    new OprfCacheFile(dir, first).save();
    const saved = JSON.parse(readFileSync(join(dir, OPRF_CACHE_FILE), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ version: OPRF_CACHE_VERSION, keyId: 'k1' });
    expect(saved.entries).toEqual([
      { input: 'folder\0/srv/records/ward3/', value: expect.stringMatching(/^[0-9a-f]{64}$/) as string },
    ]);
    expect(JSON.stringify(saved)).not.toContain('a.pdf');

    const restarted = new OprfTokens({}, loadOprfCache(dir));
    expect(restarted.mac('path', ward3('never-seen.pdf'))).toBe(expectedPathMac(ward3('never-seen.pdf')));
    expect(restarted.pending).toBe(0);
  });

  it("drops a format-1 cache's path MACs (never read as folder keys) and keeps its other values", () => {
    const dir = dataDir();
    const userMac = expected('u', 'user', 'nurse.jones').slice(2);
    writeFileSync(
      join(dir, OPRF_CACHE_FILE),
      JSON.stringify({
        keyId: 'k1',
        tokens: [
          { input: 'path\0/srv/records/ward3/a.pdf', mac: '0123456789abcdef' },
          { input: 'user\0nurse.jones', mac: userMac },
        ],
      }),
    );
    const stored = loadOprfCache(dir);
    expect(stored).toEqual({ keyId: 'k1', tokens: [{ input: 'user\0nurse.jones', value: userMac }] });
    const tokens = new OprfTokens({}, stored);
    expect(tokens.mac('user', 'nurse.jones')).toBe(userMac);
    expect(tokens.mac('path', ward3('a.pdf'))).toBeUndefined();
    expect(tokens.stats).toMatchObject({ cached: 1, wanted: 1 });
  });

  it('refuses a file whose folder entry is not a folder key', () => {
    const dir = dataDir();
    const write = (value: string) =>
      writeFileSync(
        join(dir, OPRF_CACHE_FILE),
        JSON.stringify({ version: OPRF_CACHE_VERSION, keyId: 'k1', entries: [{ input: 'folder\0/srv/', value }] }),
      );
    write('0123456789abcdef');
    expect(loadOprfCache(dir)).toBeUndefined();
    write('0123456789abcdef'.repeat(4));
    expect(loadOprfCache(dir)?.tokens).toHaveLength(1);
  });

  it("forgets folder keys and the path MACs made from them when the manager's key changes", async () => {
    const tokens = new OprfTokens();
    tokens.mac('path', ward3('a.pdf'));
    await tokens.fetch(countingEvaluator('k1').evaluator);
    const before = tokens.mac('path', ward3('a.pdf'));
    expect(before).toBe(expectedPathMac(ward3('a.pdf')));
    tokens.mac('user', 'nurse.jones');
    await tokens.fetch(countingEvaluator('k2').evaluator);
    expect(tokens.stats).toMatchObject({ cached: 1, groupKeys: 0 });
    expect(tokens.mac('path', ward3('a.pdf'))).toBeUndefined();
  });
});
