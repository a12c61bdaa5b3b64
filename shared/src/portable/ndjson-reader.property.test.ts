import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyReadStats, parsePortableLine, readPortableEvents } from './ndjson-reader';

describe('portable reader properties', () => {
  it('never throws on any line, and every line is an event, blank or a counted error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string(), fc.json(), fc.constant('{"v":1,"kind":"logon"}')), { maxLength: 20 }),
        async (lines) => {
          for (const line of lines) expect(() => parsePortableLine(line)).not.toThrow();
          const stats = emptyReadStats();
          let events = 0;
          const text = lines.map((l) => l.replace(/\n/g, ' ')).join('\n');
          for await (const _ of readPortableEvents(Readable.from([text]), () => {}, stats)) events++;
          expect(events).toBe(stats.records);
          expect(stats.errors).toBe(Object.values(stats.errorsByReason).reduce((a, b) => a + b, 0));
          expect(stats.records + stats.errors).toBeLessThanOrEqual(stats.lines);
        },
      ),
      { numRuns: 200 },
    );
  });
});
