// The one side effect of the live readers: starting a long-running OS command
// and reading its output. Injectable so readers are tested without spawning.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The part of a child process the readers use. */
export interface SpawnedChild {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  kill(signal?: NodeJS.Signals): boolean;
}

export interface ProcessSpawner {
  readonly platform: NodeJS.Platform;
  /** True when `command` is an executable file on PATH. */
  commandExists(command: string): boolean;
  spawn(command: string, args: readonly string[]): SpawnedChild;
}

export class NodeProcessSpawner implements ProcessSpawner {
  readonly platform = process.platform;

  constructor(private readonly path: string = process.env.PATH ?? '') {}

  commandExists(command: string): boolean {
    for (const dir of this.path.split(delimiter)) {
      if (!dir) continue;
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        // not in this folder
      }
    }
    return false;
  }

  spawn(command: string, args: readonly string[]): ChildProcess {
    return spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  }
}
