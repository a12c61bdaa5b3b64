// ProcessSpawners for the live readers' tests: one starts node printing `lines` (and then
// staying up) where the reader would start an OS command that is not on this machine
// (PowerShell, eslogger), so the real line reader, parser and reporter run on them; the
// other starts one that complains and dies, as a refused command does.
import { spawn } from 'node:child_process';
import type { ComponentHealthRegistry } from '../status/component-health';
import type { ProcessSpawner } from './process-spawner';

export class PrintingSpawner implements ProcessSpawner {
  readonly asked: { command: string; args: readonly string[] }[] = [];

  constructor(
    private readonly lines: string[],
    readonly platform: NodeJS.Platform = 'win32',
  ) {}

  commandExists(): boolean {
    return true;
  }

  spawn(command: string, args: readonly string[]) {
    this.asked.push({ command, args });
    const script = `process.stdout.write(${JSON.stringify(this.lines.join('\n') + '\n')}); setInterval(() => {}, 1000);`;
    return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

/** A spawner whose command complains on stderr and exits at once, every time it is started. */
export function dyingSpawner(platform: NodeJS.Platform, complaint: string, code: number): ProcessSpawner {
  const script = `process.stderr.write(${JSON.stringify(`${complaint}\n`)}); setTimeout(() => process.exit(${code}), 20);`;
  return {
    platform,
    commandExists: () => true,
    spawn: () => spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }),
  };
}

/** Starts `it`, waits (4 s at most) for a first health report, stops it; what the health holds then. */
export async function healthOnceReported(
  health: ComponentHealthRegistry,
  it: { start(): Promise<void>; stop(): Promise<void> },
): Promise<ReturnType<ComponentHealthRegistry['list']>> {
  await it.start();
  try {
    for (let i = 0; i < 200 && health.list().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await it.stop();
  }
  return health.list();
}
