// Diagnostic only (WW_MEMORY_PROBE=1 in the footprint bench): preloaded into the
// agent with --import, it appends the process's own view of its memory to
// WW_MEMORY_PROBE_FILE once a second, so a run shows which part grows: the V8
// heap spaces (new space = the young generation), external memory and
// ArrayBuffers. It costs the agent a little CPU, so figures of probed runs are
// not the footprint.
import { appendFileSync } from 'node:fs';
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const file = process.env.WW_MEMORY_PROBE_FILE;
if (file && isMainThread) {
  const started = Date.now();
  setInterval(() => {
    const usage = process.memoryUsage();
    const spaces = {};
    for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = space.physical_space_size;
    appendFileSync(
      file,
      JSON.stringify({
        atMs: Date.now() - started,
        rss: usage.rss,
        heapTotal: usage.heapTotal,
        heapUsed: usage.heapUsed,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
        newSpace: spaces.new_space ?? 0,
        oldSpace: spaces.old_space ?? 0,
      }) + '\n',
    );
  }, 1_000).unref();
}
