// A collector whose source is a real file that is missing at first: its start
// throws ENOENT until the file exists.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger';
import { ComponentHealthRegistry } from '../status/component-health';
import type { Collector } from './collector';
import { RecordingSink } from './collector-test-sink.fixture';
import { CollectorSupervisor } from './collector-supervisor';

class FileSourceCollector implements Collector {
  handle: FileHandle | null = null;
  stops = 0;
  constructor(
    readonly name: string,
    private readonly path: string,
  ) {}
  async start(): Promise<void> {
    this.handle = await open(this.path, 'r');
  }
  async stop(): Promise<void> {
    this.stops += 1;
    await this.handle?.close();
    this.handle = null;
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ww-supervisor-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('CollectorSupervisor', () => {
  it('reports a collector that cannot start, runs the others, and starts it once it can', async () => {
    writeFileSync(join(dir, 'present.log'), 'x');
    const broken = new FileSourceCollector('logins', join(dir, 'later.log'));
    const working = new FileSourceCollector('files', join(dir, 'present.log'));
    const health = new ComponentHealthRegistry();
    const logger = createMemoryLogger();
    const supervisor = new CollectorSupervisor({
      collectors: [broken, working],
      sink: new RecordingSink(),
      health,
      logger,
      retry: { baseMs: 20, maxMs: 40 },
    });
    await supervisor.startAll();
    expect(working.handle).not.toBeNull();
    expect(supervisor.running()).toEqual(['files']);
    const failed = health.failed();
    expect(failed.map((c) => c.name)).toEqual(['collector.logins']);
    expect(failed[0]?.message).toMatch(/ENOENT/);
    const failedSince = failed[0]?.sinceMs;

    // Retries fail the same way: logged once, still failed since the first time.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(health.failed()[0]?.sinceMs).toBe(failedSince);
    expect(logger.lines.filter((l) => l.collector === 'logins' && l.level === 'error')).toHaveLength(1);
    expect(broken.stops).toBeGreaterThan(1);

    writeFileSync(join(dir, 'later.log'), 'y');
    await expect
      .poll(() => health.list().map((c) => `${c.name}=${c.state}`), { timeout: 2_000 })
      .toEqual(['collector.logins=running', 'collector.files=running']);
    expect(logger.lines.some((l) => l.msg === 'collector started after failing')).toBe(true);

    await supervisor.stopAll();
    expect(health.list().map((c) => c.state)).toEqual(['stopped', 'stopped']);
    expect(broken.handle).toBeNull();
    expect(working.handle).toBeNull();
  });

  it('tries no more after stopAll', async () => {
    const broken = new FileSourceCollector('devices', join(dir, 'never.log'));
    const health = new ComponentHealthRegistry();
    const supervisor = new CollectorSupervisor({
      collectors: [broken],
      sink: new RecordingSink(),
      health,
      logger: createMemoryLogger(),
      retry: { baseMs: 20, maxMs: 20 },
    });
    await supervisor.startAll();
    await supervisor.stopAll();
    const stops = broken.stops;
    writeFileSync(join(dir, 'never.log'), 'z');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(broken.stops).toBe(stops);
    expect(broken.handle).toBeNull();
    expect(health.list()).toEqual([expect.objectContaining({ name: 'collector.devices', state: 'stopped' })]);
  });
});
