import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AutoActionCaps, type CapVerdict } from './auto-action-caps';
import type { AutomaticCommandCount } from './automatic-command-count';

/** The commands "issued" so far, counted as the command table would count them. */
class IssuedLog implements AutomaticCommandCount {
  readonly issued: { t: number; unit: string | null }[] = [];
  automaticSince(sinceMs: number, unit: string | null) {
    const recent = this.issued.filter((c) => c.t >= sinceMs);
    return Promise.resolve({
      fleet: recent.length,
      unit: unit === null ? 0 : recent.filter((c) => c.unit === unit).length,
    });
  }
}

function sut(perMinute: number, perUnitPerMinute: number) {
  const log = new IssuedLog();
  const caps = new AutoActionCaps(log, { perMinute, perUnitPerMinute });
  /** A check and, when allowed, the issue, in one turn (as the decision service does). */
  const take = (unit: string | null, t: number): Promise<CapVerdict> =>
    caps.serially(async () => {
      const verdict = await caps.check(unit, t);
      await new Promise((r) => setImmediate(r));
      if (verdict.ok) log.issued.push({ t, unit });
      return verdict;
    });
  return { log, take };
}

describe('AutoActionCaps', () => {
  it('allows N a minute fleet-wide, then refuses until the oldest is a minute old', async () => {
    const { take } = sut(3, 10);
    for (const t of [0, 10, 20]) expect((await take(null, t)).ok).toBe(true);
    expect(await take(null, 30)).toEqual({ ok: false, cap: 'fleet' });
    expect(await take(null, 59_999)).toEqual({ ok: false, cap: 'fleet' });
    expect(await take(null, 60_000)).toEqual({ ok: true });
  });

  it('caps each unit on its own, and a refused action is not counted', async () => {
    const { take } = sut(20, 2);
    expect((await take('ward-3', 0)).ok).toBe(true);
    expect((await take('ward-3', 1)).ok).toBe(true);
    expect(await take('ward-3', 2)).toEqual({ ok: false, cap: 'unit' });
    expect((await take('ward-4', 3)).ok).toBe(true);
    expect((await take(null, 4)).ok).toBe(true);
    expect((await take('ward-3', 60_000)).ok).toBe(true);
    expect(await take('ward-3', 60_000)).toEqual({ ok: false, cap: 'unit' });
  });

  it('a cap of 0 refuses every automatic action', async () => {
    expect(await sut(0, 5).take(null, 0)).toEqual({ ok: false, cap: 'fleet' });
    expect(await sut(5, 0).take('icu', 0)).toEqual({ ok: false, cap: 'unit' });
  });

  it('lets only the cap through when many checks start at once', async () => {
    const { take, log } = sut(4, 10);
    const verdicts = await Promise.all(Array.from({ length: 12 }, () => take(null, 1_000)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(4);
    expect(log.issued).toHaveLength(4);
  });

  it('never lets more than the caps through in any minute (property)', async () => {
    const step = fc.record({ gap: fc.integer({ min: 0, max: 20_000 }), unit: fc.constantFrom(null, 'a', 'b') });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(step, { maxLength: 60 }),
        async (fleet, unit, steps) => {
          const { take, log } = sut(fleet, unit);
          let t = 0;
          // Started together in bursts of equal time, as a flood of alerts would.
          const started: Promise<CapVerdict>[] = [];
          for (const s of steps) {
            t += s.gap;
            started.push(take(s.unit, t));
          }
          await Promise.all(started);
          for (const { t: end } of log.issued) {
            const inMinute = log.issued.filter((x) => x.t > end - 60_000 && x.t <= end);
            expect(inMinute.length).toBeLessThanOrEqual(fleet);
            for (const u of ['a', 'b']) expect(inMinute.filter((x) => x.unit === u).length).toBeLessThanOrEqual(unit);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
