// Patient files opened to be read on macOS, from Endpoint Security through
// `eslogger open` (macOS 13 on; the agent needs root and Full Disk Access), read by
// a long-running child like the Windows query; what is reported of them is
// read-reporter.ts's, as on Linux. eslogger prints every open on the machine, so a
// line naming none of the patient-data folders is let go before it is parsed.
import { READ_RULE_COMPONENT, type ReadCounts, READS_COMPONENT } from '@wardwatch/shared/agent';
import type { HealthReporter } from '../../status/component-health';
import type { Collector, EventSink } from '../collector';
import { CommandLineReader } from '../command-line-reader';
import { IdUserNames } from '../id-user-names';
import type { ProcessSpawner } from '../process-spawner';
import { parseMacosReadEvent, type MacosReadResult } from './macos-read-event';
import { ReadReporter, type ReadReporterOptions } from './read-reporter';

export const ESLOGGER = 'eslogger';
export const ESLOGGER_ARGS = ['open'] as const;

export interface MacosReadCollectorOptions extends ReadReporterOptions {
  spawner: ProcessSpawner;
  /** The patient-data folders (for the cheap test of a line before it is parsed). */
  folders: readonly string[];
  userNames?: IdUserNames;
  /** `collector.reads` says failed while eslogger keeps dying (no Full Disk Access, not root). */
  health?: HealthReporter;
}

/**
 * Whether a line may name a file below one of `folders`: it holds the folder's deepest plain
 * segment (letters, digits, `._-`; the most telling: `PHI`, not `Users`), which JSON writes as
 * it is whatever it escapes around it. A folder with no such segment lets every line through.
 */
export function mayNameFolder(folders: readonly string[]): (line: string) => boolean {
  const keys: string[] = [];
  for (const folder of folders) {
    const plain = folder.split('/').filter((s) => /^[\w.-]{3,}$/.test(s));
    if (plain.length === 0) return () => true;
    keys.push(plain[plain.length - 1]);
  }
  return (line) => keys.some((key) => line.includes(key));
}

export class MacosReadCollector implements Collector {
  readonly name = 'reads';
  private readonly reporter: ReadReporter;
  private readonly userNames: IdUserNames;
  private reader: CommandLineReader<MacosReadResult> | undefined;
  private covering = false;

  constructor(private readonly options: MacosReadCollectorOptions) {
    this.reporter = new ReadReporter(options);
    this.userNames = options.userNames ?? new IdUserNames();
  }

  /** What became of the opens to read a patient file (the agent's status shows them). */
  get stats(): ReadCounts {
    return this.reporter.stats;
  }

  start(sink: EventSink): Promise<void> {
    if (this.reader) return Promise.resolve();
    const mayName = mayNameFolder(this.options.folders);
    const reader = new CommandLineReader<MacosReadResult>(
      {
        name: 'eslogger reads',
        command: ESLOGGER,
        args: ESLOGGER_ARGS,
        parse: (line) => (mayName(line) ? parseMacosReadEvent(line) : { kind: 'ignored' }),
      },
      this.options.spawner,
      {
        result: (result) => {
          if (!this.covering) this.sayCovering();
          if (result.kind === 'error') sink.parseError(this.name, result.reason);
          if (result.kind !== 'read') return;
          if (result.uid === undefined) return this.reporter.report(result.read, sink);
          // Named by `id` the first time: a read whose name comes after stop() is not reported.
          void this.userNames.name(result.uid).then((user) => {
            if (this.reader === reader) this.reporter.report({ ...result.read, user }, sink);
          });
        },
        log: this.options.log,
        health: { reporter: this.options.health, component: READS_COMPONENT },
      },
    );
    this.reader = reader;
    reader.start();
    return Promise.resolve();
  }

  /**
   * Endpoint Security needs no rule per folder: once eslogger prints, every open is seen, and
   * `collector.reads.rule` says so (where Linux's rules and Windows' SACLs are checked).
   */
  private sayCovering(): void {
    this.covering = true;
    this.options.health?.report(READ_RULE_COMPONENT, 'running');
  }

  stop(): Promise<void> {
    this.covering = false;
    this.reader?.stop();
    this.reader = undefined;
    return Promise.resolve();
  }
}
