// The one way an action runs an OS command: a program and its argv, never a shell (so a
// name with spaces, quotes or `;` is one argument, not a command line), a timeout that
// kills, and output bounded so a chatty command cannot grow the agent's memory.
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code; null when the command did not start, was killed or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it did not start (`ENOENT`: not installed), if so. */
  startError?: string;
}

export interface RunOptions {
  timeoutMs?: number;
}

export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
/** Per stream; what comes after is dropped (and the result says so by ending in `…`). */
export const MAX_COMMAND_OUTPUT_BYTES = 64 * 1024;

export class ExecCommandRunner implements CommandRunner {
  constructor(
    private readonly env: NodeJS.ProcessEnv = defaultEnv(),
    private readonly maxOutputBytes = MAX_COMMAND_OUTPUT_BYTES,
  ) {}

  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    return new Promise((resolve) => {
      const child = spawn(command, [...args], {
        shell: false,
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const stdout = new BoundedText(this.maxOutputBytes);
      const stderr = new BoundedText(this.maxOutputBytes);
      let timedOut = false;
      let settled = false;
      const finish = (result: CommandResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error: NodeJS.ErrnoException) =>
        finish({ code: null, stdout: '', stderr: '', timedOut: false, startError: error.code ?? error.message }),
      );
      child.on('close', (code) =>
        finish({ code: timedOut ? null : code, stdout: stdout.text(), stderr: stderr.text(), timedOut }),
      );
    });
  }
}

/**
 * The C locale so outputs parse the same everywhere; the sbin folders, where usermod and
 * mount live, even when the agent was started with a user's PATH. Windows tools need the
 * whole environment (SystemRoot, ComSpec).
 */
function defaultEnv(): NodeJS.ProcessEnv {
  if (process.platform === 'win32') return process.env;
  return { PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`, LC_ALL: 'C' };
}

class BoundedText {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cut = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    const room = this.max - this.size;
    if (room <= 0) {
      this.cut = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.cut = true;
    this.chunks.push(part);
    this.size += part.length;
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.cut ? `${text}…` : text;
  }
}

/** One line for a message: the command's own complaint, or how it ended. */
export function describeFailure(result: CommandResult): string {
  if (result.startError) return result.startError === 'ENOENT' ? 'not installed' : result.startError;
  if (result.timedOut) return 'timed out';
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? '';
  return `exit ${result.code ?? 'none'}${text ? `: ${text.slice(0, 200)}` : ''}`;
}
