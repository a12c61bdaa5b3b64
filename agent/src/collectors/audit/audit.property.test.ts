// No audit input crashes the parser or the file-actor index, and whatever the
// index remembers is a canonical absolute path.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuditLine } from './audit-record';
import { FileActorIndex } from './file-actor-index';

const real = readFileSync(join(__dirname, 'fixtures', 'file-ops.log'), 'utf8')
  .split('\n')
  .filter(Boolean);
const fragments = [...new Set(real.flatMap((l) => l.split(/(?<=[ =:"()/])/)))];

describe('audit parsing never throws', () => {
  it('on lines built from real fragments, real lines cut anywhere, or arbitrary bytes', () => {
    const line = fc.oneof(
      fc.array(fc.constantFrom(...fragments), { maxLength: 30 }).map((p) => p.join('')),
      fc.tuple(fc.constantFrom(...real), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
      fc.constantFrom(...real),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const index = new FileActorIndex(undefined, { maxEntries: 8, now: () => 1796134100_000 });
        const seen: string[] = [];
        for (const l of lines) {
          const r = parseAuditLine(l);
          if (r.kind === 'error') expect(r.reason.length).toBeGreaterThan(0);
          if (r.kind !== 'record') continue;
          expect(Number.isFinite(r.record.timeMs)).toBe(true);
          index.record(r.record);
          const name = r.record.fields.get('name');
          if (r.record.type === 'PATH' && name) seen.push(name, `/tmp/ww-audit-probe/${name}`);
        }
        expect(index.size).toBeLessThanOrEqual(8);
        for (const path of index.paths()) expect(posix.resolve(path)).toBe(path);
        for (const candidate of seen) {
          const actor = index.actorOf(candidate);
          if (actor) expect(Number.isInteger(actor.pid)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
