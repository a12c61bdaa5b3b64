// Write → file event latency of the agent's file collector (native engine, its
// default settle time), in this process: how long after an encrypted copy is on
// disk the pipeline has its event, with the entropy sampled. The response bench
// prints it as a baseline before its runs.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '@wardwatch/proto';
import { FileCollector } from '../../../agent/src/collectors/files/file-collector';
import { createMemoryLogger } from '../../../agent/src/logging/logger';

export interface FileEventLatency {
  latenciesMs: number[];
  sampled: number;
  files: number;
}

export async function measureFileEventLatency(files = 50, gapMs = 20): Promise<FileEventLatency> {
  const root = mkdtempSync(join(tmpdir(), 'ww-file-latency-'));
  const written = new Map<string, number>();
  const latenciesMs: number[] = [];
  let sampled = 0;
  const collector = new FileCollector({ folders: [{ path: root, class: 'phi' }], logger: createMemoryLogger() });
  await collector.start({
    emit: (event: Event) => {
      if (event.detail?.$case !== 'file') return;
      const at = written.get(event.detail.value.path);
      if (at === undefined) return;
      written.delete(event.detail.value.path);
      latenciesMs.push(performance.now() - at);
      if (event.detail.value.entropy >= 7.5) sampled += 1;
    },
    parseError: () => undefined,
  });
  try {
    for (let i = 0; i < files; i++) {
      const path = join(root, `chart-${i}.docx.locked`);
      writeFileSync(path, randomBytes(8_192));
      written.set(path, performance.now());
      await new Promise((r) => setTimeout(r, gapMs));
    }
    await new Promise((r) => setTimeout(r, 1_000));
  } finally {
    await collector.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return { latenciesMs, sampled, files };
}
