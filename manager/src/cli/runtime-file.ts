// manager.runtime.json in the data folder: where the running manager actually
// listens (ports may be chosen by the OS), so that CLI commands on the same data
// folder can tell agents where to connect. Removed on a clean shutdown.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const Runtime = z.object({ pid: z.number().int(), httpUrl: z.string(), grpcPort: z.number().int() });
export type Runtime = z.infer<typeof Runtime>;

const path = (dataDir: string) => join(dataDir, 'manager.runtime.json');

export function writeRuntime(dataDir: string, runtime: Runtime): void {
  writeFileSync(path(dataDir), `${JSON.stringify(runtime)}\n`);
}

export function removeRuntime(dataDir: string): void {
  rmSync(path(dataDir), { force: true });
}

/** The running manager's runtime, or undefined when none is running on this data folder. */
export function readRuntime(dataDir: string): Runtime | undefined {
  try {
    const runtime = Runtime.parse(JSON.parse(readFileSync(path(dataDir), 'utf8')));
    process.kill(runtime.pid, 0); // throws when that process is gone
    return runtime;
  } catch {
    return undefined;
  }
}
