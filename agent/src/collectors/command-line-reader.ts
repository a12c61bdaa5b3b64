// A long-running OS command whose stdout is one record per line, each parsed into a
// result (a login, a read). The command is restarted (with backoff) if it dies; a
// line the parser throws on — which it should never do — and a line over the limit
// become error results. Where given a health component, a command that dies says so
// there (failed, with its exit and last complaint) until a run of it gives a line or
// stays up: the collector's source gone (eslogger without Full Disk Access,
// PowerShell refused) is then not a quiet workstation.
import { Backoff } from '@wardwatch/shared/agent';
import type { HealthReporter } from '../status/component-health';
import { LineSplitter } from './line-splitter';
import type { ProcessSpawner, SpawnedChild } from './process-spawner';

/** What a line that could not be parsed becomes. */
export interface LineError {
  kind: 'error';
  reason: string;
}

export interface ReaderHandlers<R> {
  result(result: R | LineError): void;
  /** Operational news (started, exited, stderr text), for the agent's log. */
  log?(level: 'info' | 'warn', message: string): void;
  /** The component (e.g. `collector.reads`) whose state follows the command's; none without a reporter. */
  health?: { reporter: HealthReporter | undefined; component: string; healthyAfterMs?: number };
}

export interface CommandSpec<R> {
  name: string;
  command: string;
  /** Asked again at every (re)start, so a restart can resume where the last run stopped. */
  args: readonly string[] | (() => readonly string[]);
  parse(line: string): R | LineError;
}

const MIN_RESTART_MS = 1_000;
/** A restarted command that stays up this long runs again, lines or not (a quiet Security log). */
export const HEALTHY_AFTER_MS = 30_000;

export class CommandLineReader<R> {
  private child: SpawnedChild | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly backoff = new Backoff({ baseMs: 2_000, maxMs: 60_000 });
  /** Said failed since the last run that gave a line or stayed up. */
  private failed = false;
  private healthyTimer: NodeJS.Timeout | undefined;
  private lastComplaint = '';

  constructor(
    private readonly spec: CommandSpec<R>,
    private readonly spawner: ProcessSpawner,
    private readonly handlers: ReaderHandlers<R>,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.launch();
  }

  stop(): void {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    clearTimeout(this.healthyTimer);
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGTERM');
  }

  private launch(): void {
    const { name, command } = this.spec;
    const args = typeof this.spec.args === 'function' ? this.spec.args() : this.spec.args;
    let child: SpawnedChild;
    try {
      child = this.spawner.spawn(command, args);
    } catch (error) {
      const why = `could not start ${command}: ${(error as Error).message}`;
      this.handlers.log?.('warn', `${name}: ${why}`);
      this.fail(`${why}; retrying`);
      this.scheduleRestart();
      return;
    }
    this.child = child;
    const splitter = new LineSplitter({
      line: (line) => {
        if (this.child === child) this.runningAgain();
        this.handlers.result(this.safeParse(line));
      },
      overlong: (bytes) =>
        this.handlers.result({ kind: 'error', reason: `${name}: record of ${bytes} bytes exceeds the line limit` }),
    });
    child.stdout?.on('data', (chunk: Buffer | string) =>
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    child.stderr?.on('data', (chunk: Buffer | string) => {
      const complaint = String(chunk).trim().slice(0, 300);
      if (complaint) this.lastComplaint = complaint;
      this.handlers.log?.('warn', `${name}: ${complaint}`);
    });
    const ended = (how: string) => {
      splitter.flush();
      if (this.child !== child) return;
      this.child = undefined;
      if (this.stopped) return;
      this.handlers.log?.('warn', `${name}: ${how}; restarting`);
      this.fail(`${how}${this.lastComplaint ? `: ${this.lastComplaint}` : ''}; restarting`);
      this.scheduleRestart();
    };
    // A command that cannot be started (not installed) emits only this, no exit.
    child.on('error', (error) => ended(`${command} failed: ${error.message}`));
    child.on('exit', (code, signal) => ended(`${command} exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`));
    this.handlers.log?.('info', `${name}: reading ${command} ${args.join(' ')}`);
    if (this.failed) {
      clearTimeout(this.healthyTimer);
      const after = this.handlers.health?.healthyAfterMs ?? HEALTHY_AFTER_MS;
      this.healthyTimer = setTimeout(() => this.child === child && this.runningAgain(), after);
      this.healthyTimer.unref();
    }
  }

  private fail(message: string): void {
    clearTimeout(this.healthyTimer);
    this.failed = true;
    const health = this.handlers.health;
    health?.reporter?.report(health.component, 'failed', message);
  }

  private runningAgain(): void {
    if (!this.failed) return;
    clearTimeout(this.healthyTimer);
    this.failed = false;
    this.lastComplaint = '';
    const health = this.handlers.health;
    health?.reporter?.report(health.component, 'running');
  }

  private scheduleRestart(): void {
    if (this.stopped) return;
    const delay = MIN_RESTART_MS + this.backoff.next();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopped) this.launch();
    }, delay);
    this.restartTimer.unref();
  }

  private safeParse(line: string): R | LineError {
    try {
      return this.spec.parse(line);
    } catch (error) {
      return { kind: 'error', reason: `${this.spec.name}: parser failed: ${(error as Error).message}` };
    }
  }
}
