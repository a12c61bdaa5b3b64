// Picks the process source for this OS: /proc on Linux, systeminformation
// elsewhere (polled every 5 s by default there: one call costs hundreds of ms
// of CPU on a busy host, so 1 s polling would blow the agent's budget).
import { existsSync } from 'node:fs';
import { ProcFsSource } from './proc-fs-source';
import { ProcessCollector, type ProcessCollectorOptions } from './process-collector';
import type { ProcessSource } from './process-source';
import { SystemInformationSource } from './systeminformation-source';

export const DEFAULT_POLL_MS = { procfs: 1000, systeminformation: 5000 } as const;

export function createProcessSource(platform: NodeJS.Platform = process.platform): ProcessSource {
  return platform === 'linux' && existsSync('/proc/self/stat') ? new ProcFsSource() : new SystemInformationSource();
}

export function createProcessCollector(options: Partial<ProcessCollectorOptions> = {}): ProcessCollector {
  const source = options.source ?? createProcessSource();
  const pollMs =
    options.pollMs ?? (source.name === 'procfs' ? DEFAULT_POLL_MS.procfs : DEFAULT_POLL_MS.systeminformation);
  return new ProcessCollector({ ...options, source, pollMs });
}
