import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AutoActionCaps } from './auto-action-caps';

describe('AutoActionCaps', () => {
  it('allows N a minute fleet-wide, then refuses until the oldest is a minute old', () => {
    const caps = new AutoActionCaps(3, 10);
    expect([0, 10, 20].map((t) => caps.take(null, t).ok)).toEqual([true, true, true]);
    expect(caps.take(null, 30)).toEqual({ ok: false, cap: 'fleet' });
    expect(caps.take(null, 59_999)).toEqual({ ok: false, cap: 'fleet' });
    expect(caps.take(null, 60_000)).toEqual({ ok: true });
  });

  it('caps each unit on its own, and a refused action is not counted', () => {
    const caps = new AutoActionCaps(20, 2);
    expect(caps.take('ward-3', 0).ok).toBe(true);
    expect(caps.take('ward-3', 1).ok).toBe(true);
    expect(caps.take('ward-3', 2)).toEqual({ ok: false, cap: 'unit' });
    expect(caps.take('ward-4', 3).ok).toBe(true);
    expect(caps.take(null, 4).ok).toBe(true);
    expect(caps.take('ward-3', 60_000).ok).toBe(true);
    expect(caps.take('ward-3', 60_000)).toEqual({ ok: false, cap: 'unit' });
  });

  it('a cap of 0 refuses every automatic action', () => {
    expect(new AutoActionCaps(0, 5).take(null, 0)).toEqual({ ok: false, cap: 'fleet' });
    expect(new AutoActionCaps(5, 0).take('icu', 0)).toEqual({ ok: false, cap: 'unit' });
  });

  it('never lets more than the caps through in any minute (property)', () => {
    const step = fc.record({ gap: fc.integer({ min: 0, max: 20_000 }), unit: fc.constantFrom(null, 'a', 'b') });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(step, { maxLength: 80 }),
        (fleet, unit, steps) => {
          const caps = new AutoActionCaps(fleet, unit);
          const taken: { t: number; unit: string | null }[] = [];
          let t = 0;
          for (const s of steps) {
            t += s.gap;
            if (caps.take(s.unit, t).ok) taken.push({ t, unit: s.unit });
          }
          for (const { t: end } of taken) {
            const inMinute = taken.filter((x) => x.t > end - 60_000 && x.t <= end);
            expect(inMinute.length).toBeLessThanOrEqual(fleet);
            for (const u of ['a', 'b']) expect(inMinute.filter((x) => x.unit === u).length).toBeLessThanOrEqual(unit);
          }
        },
      ),
    );
  });
});
