// CPU and memory of another process, from /proc (Linux): what the benchmarks
// measure the agent by, from outside, so the measuring costs the agent nothing.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcUsage {
  /** utime + stime in seconds. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak RSS so far (VmHWM). */
  peakRssBytes: number;
}

export function procUsage(pid: number): ProcUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND; // utime, stime
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1_024;
  return { cpuSeconds, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/**
 * CPU seconds of each thread group of a process so far: `main` (the JavaScript thread),
 * threads by their name (the gate's reader is `ww-gate-reader`), and `other` for the unnamed
 * rest (V8's compiler and GC helpers, libuv's pool). Threads that ended are not counted.
 */
export function threadCpu(pid: number): Map<string, number> {
  const byGroup = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const group = Number(tid) === pid ? 'main' : name === 'node' ? 'other' : name;
      const seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
      byGroup.set(group, (byGroup.get(group) ?? 0) + seconds);
    } catch {
      // the thread ended meanwhile
    }
  }
  return byGroup;
}

/** The CPU each thread group spent between two `threadCpu` readings. */
export function threadCpuSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([group, seconds]) => [group, Math.max(0, seconds - (before.get(group) ?? 0))]));
}

/** RSS split: anonymous memory (heaps, the process's own) and file-backed pages (the node binary and libraries, shared with other node processes). */
export function rssSplit(pid: number): { anonBytes: number; fileBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1_024;
  return { anonBytes: kb('RssAnon'), fileBytes: kb('RssFile') + kb('RssShmem') };
}

/** Samples a process every `everyMs` and keeps RSS samples, for averages and peaks over a phase. */
export class UsageRecorder {
  private readonly rss: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private startCpu = 0;
  private startAt = 0;

  constructor(
    private readonly pid: number,
    private readonly everyMs = 500,
  ) {}

  start(): void {
    const first = procUsage(this.pid);
    this.startCpu = first.cpuSeconds;
    this.startAt = performance.now();
    this.rss.push(first.rssBytes);
    this.timer = setInterval(() => this.rss.push(procUsage(this.pid).rssBytes), this.everyMs);
  }

  /** Stops and returns CPU in % of one core over the phase, and RSS average and peak. */
  stop(): {
    cpuPercent: number;
    cpuSeconds: number;
    wallSeconds: number;
    avgRssBytes: number;
    peakRssBytes: number;
    firstRssBytes: number;
    lastRssBytes: number;
  } {
    if (this.timer) clearInterval(this.timer);
    const end = procUsage(this.pid);
    this.rss.push(end.rssBytes);
    const wallSeconds = (performance.now() - this.startAt) / 1_000;
    const cpuSeconds = end.cpuSeconds - this.startCpu;
    return {
      cpuPercent: (cpuSeconds / wallSeconds) * 100,
      cpuSeconds,
      wallSeconds,
      avgRssBytes: this.rss.reduce((a, b) => a + b, 0) / this.rss.length,
      peakRssBytes: Math.max(...this.rss),
      firstRssBytes: this.rss[0],
      lastRssBytes: this.rss[this.rss.length - 1],
    };
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
