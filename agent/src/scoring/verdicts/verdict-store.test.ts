// The verdicts file: one verdict per window, the latest decision winning; bounded by the
// history kept and by MAX_VERDICTS (newest decisions kept); written whole in one rename.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Verdict } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { verdictKey } from '../windows/window-pipeline';
import type { WindowVerdict } from './match-verdicts';
import { MAX_VERDICTS, VerdictStore } from './verdict-store';

const DAY = 86_400_000;
const verdict = (user: string, windowStart: number, v: WindowVerdict['verdict'], decidedAt: number): WindowVerdict => ({
  scoreId: `s-${user}-${windowStart}`,
  user,
  windowStart,
  verdict: v,
  decidedAt,
});

describe('VerdictStore', () => {
  it('keeps the latest decision per window, drops what the history no longer holds, and reads it back', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ww-verdict-store-'));
    const store = VerdictStore.open(folder, 0);
    expect(store.kinds()).toEqual({ falsePositive: 0, benign: 0, truePositive: 0, latestDecidedAt: null });
    expect(await store.add([verdict('a', 10 * DAY, Verdict.VERDICT_TRUE_POSITIVE, 100)], 0)).toBe(1);
    // An older decision on the same window does not undo a newer one; a newer one replaces it.
    expect(await store.add([verdict('a', 10 * DAY, Verdict.VERDICT_BENIGN, 50)], 0)).toBe(0);
    expect(store.effects().get(verdictKey('a', 10 * DAY))).toBe('never');
    expect(await store.add([verdict('a', 10 * DAY, Verdict.VERDICT_BENIGN, 200)], 0)).toBe(1);
    expect(store.effects().get(verdictKey('a', 10 * DAY))).toBe('learn');
    expect(store.kinds()).toEqual({ falsePositive: 0, benign: 1, truePositive: 0, latestDecidedAt: 200 });
    await store.add([verdict('b', 2 * DAY, Verdict.VERDICT_FALSE_POSITIVE, 300)], 0);
    await store.add([verdict('c', 3 * DAY, Verdict.VERDICT_TRUE_POSITIVE, 250)], 0);
    expect(store.kinds()).toEqual({ falsePositive: 1, benign: 1, truePositive: 1, latestDecidedAt: 300 });
    expect(store.size).toBe(3);
    // Windows before the history kept go.
    await store.add([], 5 * DAY);
    expect(store.size).toBe(1);
    expect(readdirSync(folder)).toEqual(['verdicts.json']);

    const reread = VerdictStore.open(folder, 0);
    expect(reread.problem).toBeNull();
    expect([...reread.effects()]).toEqual([[verdictKey('a', 10 * DAY), 'learn']]);
    expect(VerdictStore.open(folder, 11 * DAY).size).toBe(0);
  });

  it('holds at most MAX_VERDICTS, the newest decisions', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ww-verdict-store-'));
    const store = VerdictStore.open(folder, 0);
    const many = Array.from({ length: MAX_VERDICTS + 5 }, (_, i) =>
      verdict(`u${i}`, DAY, Verdict.VERDICT_FALSE_POSITIVE, 1_000 + i),
    );
    await store.add(many, 0);
    expect(store.size).toBe(MAX_VERDICTS);
    expect(store.effects().has(verdictKey('u4', DAY))).toBe(false);
    expect(store.effects().has(verdictKey('u5', DAY))).toBe(true);
    expect(VerdictStore.open(folder, 0).size).toBe(MAX_VERDICTS);
  });

  it('sets aside a file it cannot use and starts empty', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ww-verdict-store-'));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      join(folder, 'verdicts.json'),
      JSON.stringify({
        version: 1,
        verdicts: [verdict('a', DAY, Verdict.VERDICT_BENIGN, 1)].map((v) => ({ ...v, verdict: 'VERDICT_UNSPECIFIED' })),
      }),
    );
    const store = VerdictStore.open(folder, 0);
    expect(store.problem).toMatch(/not a verdict file: VERDICT_UNSPECIFIED is not a verdict an analyst gives/);
    expect(store.size).toBe(0);
    expect(existsSync(join(folder, 'verdicts.json'))).toBe(true);
  });
});
