// A generated audit log and the time to read it through the agent's shared audit tail,
// for the benchmarks of what subscribes to it (file-actors, reads).
import { appendFileSync, copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditFeed } from '../../../agent/src/collectors/audit/audit-feed';

/** Writes `count` events, each some auditd-format lines from `event(serial, time, i)`; returns the line count. */
export function writeAuditLog(
  path: string,
  count: number,
  event: (serial: number, t: string, i: number) => string,
): number {
  writeFileSync(path, '');
  const t = (Date.now() / 1000).toFixed(3);
  let lines = 0;
  const chunk: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const text = event(i + 1, t, i);
    chunk.push(text);
    lines += text.split('\n').length;
    if (chunk.length === 1_000) appendFileSync(path, `${chunk.splice(0).join('\n')}\n`);
  }
  if (chunk.length) appendFileSync(path, `${chunk.join('\n')}\n`);
  return lines;
}

/**
 * Reads the prepared log whole through a new feed in `dir` with what `subscribe` adds to it
 * (which may acquire the feed itself; else it is acquired here), and returns the CPU µs per line.
 */
export function timeTail(
  dir: string,
  prepared: string,
  lines: number,
  subscribe: (feed: AuditFeed) => { acquired?: boolean; done: () => void },
): number {
  const path = join(dir, 'live.log');
  writeFileSync(path, '');
  const feed = new AuditFeed({ path, readIntervalMs: 3_600_000 });
  const subscribed = subscribe(feed);
  if (!subscribed.acquired) feed.acquire(); // at the end of the empty file
  // "Rotated" into place: the tail reads a new file from its start, as after logrotate.
  copyFileSync(prepared, `${path}.next`);
  renameSync(`${path}.next`, path);
  const cpu = process.cpuUsage();
  while (feed.stats.lines < lines) feed.read();
  const used = process.cpuUsage(cpu);
  const perLine = (used.user + used.system) / feed.stats.lines;
  subscribed.done();
  if (!subscribed.acquired) feed.release();
  return perLine;
}
