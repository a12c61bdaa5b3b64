// The process collector: polls a ProcessSource, turns the difference between
// two snapshots into start/stop events, adds the sha256 of each new
// executable (hashed off the poll path; a stop waits for its start so the two
// leave in order), and, where the audit log is readable, reports executions
// that started and ended between two polls.
import { randomUUID } from 'node:crypto';
import { type Event, Severity } from '@wardwatch/proto';
import type { Collector, EventSink } from '../collector';
import type { AuditFeed } from '../audit/audit-feed';
import { type AuditExec, AuditExecAssembler } from './audit-execve';
import { ExecutableHasher } from './executable-hasher';
import { type ProcessInfo, type ProcessSource, processKey } from './process-source';
import { ProcessTracker } from './process-tracker';
import { DEFAULT_MAX_COMMAND_LINE_BYTES, redactCommandLine } from './redact-command-line';
import { PasswdUserNames, type UserNames } from '../user-names';
import { PollTimer, timedPoll, type PollPace, type PollStats } from '../poll-loop';

export const COLLECTOR_NAME = 'processes';

export interface ProcessCollectorOptions {
  source: ProcessSource;
  pollMs?: number;
  /** Stretches the wait between polls while the agent is throttled (the watchdog's LoadSignal). */
  pace?: PollPace;
  hasher?: ExecutableHasher;
  /** Report processes already running at start as starts (default: no, they are the baseline). */
  reportExisting?: boolean;
  /** The agent's shared audit-log tail, for executions too short to be seen by a poll. */
  audit?: AuditFeed;
  users?: UserNames;
  maxCommandLineBytes?: number;
  now?: () => number;
  newId?: () => string;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface ProcessCollectorStats extends PollStats {
  starts: number;
  stops: number;
  /** Executions seen only in the audit log: started and ended between two polls. */
  shortLived: number;
}

export class ProcessCollector implements Collector {
  readonly name = COLLECTOR_NAME;
  readonly stats: ProcessCollectorStats = {
    polls: 0,
    starts: 0,
    stops: 0,
    shortLived: 0,
    pollErrors: 0,
    lastPollMs: 0,
  };
  private readonly tracker: ProcessTracker;
  private readonly hasher: ExecutableHasher;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly pendingStarts = new Map<string, Promise<void>>();
  private readonly sha256ByKey = new Map<string, string>();
  private readonly assembler = new AuditExecAssembler();
  private audit: AuditFeed | undefined;
  private unsubscribeAudit: (() => void) | undefined;
  private auditExecs: AuditExec[] = [];
  private sink: EventSink | undefined;
  private readonly timer: PollTimer;

  constructor(private readonly options: ProcessCollectorOptions) {
    this.tracker = new ProcessTracker(options.reportExisting ?? false);
    this.hasher = options.hasher ?? new ExecutableHasher();
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.timer = new PollTimer(options.pollMs ?? 1000, () => this.poll(), options.pace);
  }

  get auditActive(): boolean {
    return this.audit?.active ?? false;
  }

  async start(sink: EventSink): Promise<void> {
    if (this.sink) return;
    this.sink = sink;
    this.openAudit(sink);
    await this.poll();
    this.timer.start();
  }

  async stop(): Promise<void> {
    const sink = this.sink;
    this.sink = undefined;
    await this.timer.stop();
    await Promise.all(this.pendingStarts.values());
    this.unsubscribeAudit?.();
    this.unsubscribeAudit = undefined;
    this.audit?.release();
    this.audit = undefined;
    if (sink) this.options.log?.('info', `${COLLECTOR_NAME}: stopped after ${this.stats.polls} polls`);
  }

  private openAudit(sink: EventSink): void {
    const feed = this.options.audit;
    if (!feed) return;
    const unsubscribe = feed.subscribe({
      record: (record) => this.auditExecs.push(...this.assembler.push(record)),
      parseError: (reason) => sink.parseError(COLLECTOR_NAME, reason),
    });
    try {
      feed.acquire();
      this.audit = feed;
      this.unsubscribeAudit = unsubscribe;
      this.options.log?.('info', `${COLLECTOR_NAME}: reading executions from ${feed.path}`);
    } catch (error) {
      unsubscribe();
      this.options.log?.('warn', `${COLLECTOR_NAME}: cannot read ${feed.path}: ${(error as Error).message}`);
    }
  }

  private async poll(): Promise<void> {
    const sink = this.sink;
    if (!sink) return;
    await timedPoll(
      this.stats,
      `${COLLECTOR_NAME}: poll of ${this.options.source.name}`,
      this.options.log,
      async () => {
        // Audit records written before the snapshot: their process either shows in it or already ended.
        this.audit?.read();
        const execs = [...this.auditExecs, ...this.assembler.flush()];
        this.auditExecs = [];
        const snapshot = await this.options.source.snapshot();
        const pollTime = this.now();
        const { started, stopped } = this.tracker.update(snapshot);
        for (const info of started) this.emitStart(sink, info, info.startTimeMs);
        for (const info of stopped) this.emitStop(sink, info, pollTime);
        const stoppedPids = new Set(stopped.map((s) => s.pid));
        for (const exec of execs) {
          if (this.tracker.running(exec.pid) || stoppedPids.has(exec.pid)) continue;
          const info = this.fromAudit(exec);
          this.stats.shortLived += 1;
          this.emitStart(sink, info, exec.timeMs);
          this.emitStop(sink, info, pollTime);
        }
      },
    );
  }

  private fromAudit(exec: AuditExec): ProcessInfo {
    const users = (this.options.users ??= new PasswdUserNames());
    return {
      pid: exec.pid,
      ppid: exec.ppid,
      startTimeMs: exec.timeMs,
      uid: exec.uid,
      user: exec.uid === undefined ? '' : users.name(exec.uid),
      executable: exec.exe,
      argv: exec.argv,
    };
  }

  private emitStart(sink: EventSink, info: ProcessInfo, timeMs: number): void {
    const key = processKey(info);
    this.stats.starts += 1;
    const paths = info.imagePath ? [info.imagePath, info.executable] : [info.executable];
    const done = this.hasher
      .hash(paths)
      .then((sha256) => {
        this.sha256ByKey.set(key, sha256);
        sink.emit(this.event(info, 'start', timeMs, sha256));
      })
      .finally(() => this.pendingStarts.delete(key));
    this.pendingStarts.set(key, done);
  }

  private emitStop(sink: EventSink, info: ProcessInfo, timeMs: number): void {
    const key = processKey(info);
    this.stats.stops += 1;
    const send = () => {
      sink.emit(this.event(info, 'stop', timeMs, this.sha256ByKey.get(key) ?? ''));
      this.sha256ByKey.delete(key);
    };
    const pending = this.pendingStarts.get(key);
    if (pending) void pending.then(send);
    else send();
  }

  private event(info: ProcessInfo, action: 'start' | 'stop', timeMs: number, sha256: string): Event {
    return {
      id: this.newId(),
      timeMs,
      severity: Severity.SEVERITY_INFO,
      user: info.user,
      sequence: 0, // given by the outbox
      detail: {
        $case: 'process',
        value: {
          action,
          pid: info.pid,
          ppid: info.ppid,
          executable: info.executable,
          commandLine: redactCommandLine(info.argv, this.options.maxCommandLineBytes ?? DEFAULT_MAX_COMMAND_LINE_BYTES),
          sha256,
        },
      },
    };
  }
}
