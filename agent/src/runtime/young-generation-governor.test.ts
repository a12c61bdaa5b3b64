import { describe, expect, it } from 'vitest';
import {
  BUSY_YOUNG_GENERATION,
  QUIET_YOUNG_GENERATION,
  YoungGenerationGovernor,
  type YoungGenerationPort,
} from './young-generation';

/** A young generation that grows while the busy flag is set and shrinks on a collection. */
class FakeV8 implements YoungGenerationPort {
  flags: string[] = [];
  collections = 0;
  size = 1_048_576;
  setFlag(flag: string): void {
    this.flags.push(flag);
    if (flag === BUSY_YOUNG_GENERATION) this.size = 32 * 1_048_576;
  }
  collect(): void {
    this.collections++;
    if (this.collections >= 2) this.size = 1_048_576; // V8 shrinks once the allocation rate has dropped
  }
  newSpaceBytes(): number {
    return this.size;
  }
}

const options = { busyScavengesPerSecond: 4, quietMs: 20_000, initialNewSpaceBytes: 2 * 1_048_576, maxCollections: 3 };

describe('YoungGenerationGovernor', () => {
  it('lets the young generation grow under load and collects it back after a quiet period', () => {
    const v8 = new FakeV8();
    const governor = new YoungGenerationGovernor(v8, options);
    governor.tick(2, 5_000, 5_000); // 0.4/s: quiet, nothing to give back
    expect(v8.flags).toEqual([]);
    governor.tick(100, 5_000, 10_000); // 20/s: busy
    governor.tick(100, 5_000, 15_000);
    expect(v8.flags).toEqual([BUSY_YOUNG_GENERATION]);
    governor.tick(1, 5_000, 20_000); // the load ends
    expect(v8.flags).toEqual([BUSY_YOUNG_GENERATION, QUIET_YOUNG_GENERATION]);
    for (let now = 25_000; now < 40_000; now += 5_000) governor.tick(1, 5_000, now);
    expect(v8.collections).toBe(0); // not before 20 s of quiet
    for (let now = 40_000; now <= 70_000; now += 5_000) governor.tick(1, 5_000, now);
    expect(v8.collections).toBe(2); // the second one shrank it: no more
    expect(v8.newSpaceBytes()).toBe(1_048_576);
  });

  it('stops after a few collections when V8 does not shrink, and tries again after the next load', () => {
    const v8 = new FakeV8();
    v8.collect = () => void v8.collections++; // never shrinks
    const governor = new YoungGenerationGovernor(v8, options);
    governor.tick(100, 5_000, 0);
    for (let now = 5_000; now <= 120_000; now += 5_000) governor.tick(0, 5_000, now);
    expect(v8.collections).toBe(3);
    governor.tick(100, 5_000, 125_000);
    for (let now = 130_000; now <= 160_000; now += 5_000) governor.tick(0, 5_000, now);
    expect(v8.collections).toBe(6);
  });
});
