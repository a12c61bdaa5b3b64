// A long-running OS command whose stdout is one record per line, each parsed into a
// result (a login, a read). The command is restarted (with backoff) if it dies; a
// line the parser throws on — which it should never do — and a line over the limit
// become error results.
import { Backoff } from '@wardwatch/shared/agent';
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
}

export interface CommandSpec<R> {
  name: string;
  command: string;
  /** Asked again at every (re)start, so a restart can resume where the last run stopped. */
  args: readonly string[] | (() => readonly string[]);
  parse(line: string): R | LineError;
}

const MIN_RESTART_MS = 1_000;

export class CommandLineReader<R> {
  private child: SpawnedChild | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly backoff = new Backoff({ baseMs: 2_000, maxMs: 60_000 });

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
      this.handlers.log?.('warn', `${name}: could not start ${command}: ${(error as Error).message}`);
      this.scheduleRestart();
      return;
    }
    this.child = child;
    const splitter = new LineSplitter({
      line: (line) => this.handlers.result(this.safeParse(line)),
      overlong: (bytes) =>
        this.handlers.result({ kind: 'error', reason: `${name}: record of ${bytes} bytes exceeds the line limit` }),
    });
    child.stdout?.on('data', (chunk: Buffer | string) =>
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    child.stderr?.on('data', (chunk: Buffer | string) =>
      this.handlers.log?.('warn', `${name}: ${String(chunk).trim().slice(0, 300)}`),
    );
    child.on('error', (error) => this.handlers.log?.('warn', `${name}: ${command} failed: ${error.message}`));
    child.on('exit', (code, signal) => {
      splitter.flush();
      if (this.child !== child) return;
      this.child = undefined;
      if (this.stopped) return;
      this.handlers.log?.(
        'warn',
        `${name}: ${command} exited (code ${code ?? 'none'}, signal ${signal ?? 'none'}); restarting`,
      );
      this.scheduleRestart();
    });
    this.handlers.log?.('info', `${name}: reading ${command} ${args.join(' ')}`);
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
