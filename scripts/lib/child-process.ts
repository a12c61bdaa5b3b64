// Runs one of our services as a real child process and reads its JSON log lines,
// so that `npm start` and the end-to-end tests start the product the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type LogLine = Record<string, unknown> & { msg?: string };

export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every stdout/stderr line so far, for diagnostics when a test fails. */
  readonly output: string[];
  waitForLog(match: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine>;
  /** SIGINT, then SIGKILL after `graceMs`; resolves with the exit code (null if killed). */
  stop(graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each output line (e.g. to echo it with a prefix). */
  onLine?: (line: string) => void;
}

const MAX_KEPT_LINES = 2_000;

export function startService(
  name: string,
  command: string,
  args: string[],
  options: StartOptions = {},
): ServiceProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters = new Set<(line: LogLine) => void>();

  const onLine = (line: string) => {
    output.push(line);
    if (output.length > MAX_KEPT_LINES) output.shift();
    options.onLine?.(line);
    const parsed = parseJsonLine(line);
    if (parsed) for (const waiter of [...waiters]) waiter(parsed);
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs: number) =>
    new Promise<LogLine>((resolve, reject) => {
      const done = (error?: Error, line?: LogLine) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(line!);
      };
      const check = (line: LogLine) => {
        if (match(line)) done(undefined, line);
      };
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `${name}: expected log line not seen within ${timeoutMs} ms. Output:\n${output.slice(-40).join('\n')}`,
            ),
          ),
        timeoutMs,
      );
      waiters.add(check);
      for (const line of output) {
        const parsed = parseJsonLine(line);
        if (parsed && match(parsed)) return done(undefined, parsed);
      }
      void exited.then((code) =>
        done(
          new Error(
            `${name} exited with ${code} before the expected log line. Output:\n${output.slice(-40).join('\n')}`,
          ),
        ),
      );
    });

  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  return { name, child, output, waitForLog, stop, exited };
}

function parseJsonLine(line: string): LogLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as LogLine) : null;
  } catch {
    return null;
  }
}
