// What a bounded cache costs per use when most uses are new keys (more files rewritten in turn
// than it holds), RecentMap against the pattern it replaced in the same run: a Map kept in
// order by re-inserting on use and evicting `keys().next()` once full. The baseline's cost grows
// with the capacity (V8 walks the holes deleted entries leave at the front); RecentMap's does not.
//   npx tsx scripts/bench/recent-map.bench.ts
import { RecentMap } from '../../shared/src/collections/recent-map';

const USES = Number(process.env.WW_USES ?? 300_000);
const DISTINCT = 200_000;
const keys = Array.from(
  { length: USES },
  (_, i) => `/srv/patient-records/ward${i % 100}/note-${(i * 7_919) % DISTINCT}.docx`,
);

/** The replaced pattern: LRU order by re-insertion, the first key evicted when full. */
class FirstKeyLru {
  private readonly map = new Map<string, number>();
  constructor(private readonly capacity: number) {}
  get(key: string): number | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }
  set(key: string, value: number): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }
}

function cpuMicrosPerUse(cache: { get(key: string): number | undefined; set(key: string, value: number): void }) {
  const start = process.cpuUsage();
  for (let i = 0; i < USES; i++) if (cache.get(keys[i]) === undefined) cache.set(keys[i], i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / USES;
}

console.log(
  `${USES.toLocaleString('en-US')} uses over ${DISTINCT.toLocaleString('en-US')} distinct paths, node ${process.version}`,
);
console.log('capacity   Map + keys().next() µs/use   RecentMap µs/use   ratio');
for (const capacity of [1_024, 16_384, 100_000]) {
  cpuMicrosPerUse(new RecentMap(capacity)); // warm both code paths before measuring
  cpuMicrosPerUse(new FirstKeyLru(capacity));
  const baseline = cpuMicrosPerUse(new FirstKeyLru(capacity));
  const recent = cpuMicrosPerUse(new RecentMap(capacity));
  console.log(
    `${capacity.toLocaleString('en-US').padStart(8)}   ${baseline.toFixed(2).padStart(26)}   ${recent.toFixed(2).padStart(16)}   ${(baseline / recent).toFixed(1).padStart(5)}×`,
  );
}
