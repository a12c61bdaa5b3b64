// Patient files opened to be read on Windows, from the Security log's event 4663
// (windows-read-event.ts), read by a long-running PowerShell query like the
// logins'; what is reported of them is read-reporter.ts's, as on Linux. Needs the
// site's audit policy (Object Access → File System, success) and a SACL asking
// for ReadData on the patient-data folders, which windows-read-audit.ts checks
// while the collector runs (agent README, Reads on Windows).
import { statSync } from 'node:fs';
import { type ReadCounts, READS_COMPONENT } from '@wardwatch/shared/agent';
import type { HealthReporter } from '../../status/component-health';
import type { Collector, EventSink } from '../collector';
import { CommandLineReader } from '../command-line-reader';
import type { ProcessSpawner } from '../process-spawner';
import { powerShellArgs, securityLogScript } from '../windows-security-log/security-log-script';
import type { ReadAuditCheck } from './read-audit-check';
import { ReadReporter, type ReadReporterOptions } from './read-reporter';
import { parseWindowsReadEvent, WINDOWS_READ_EVENT_ID, type WindowsReadResult } from './windows-read-event';

export const WINDOWS_READ_SCRIPT = securityLogScript([WINDOWS_READ_EVENT_ID]);

export interface WindowsReadCollectorOptions extends ReadReporterOptions {
  spawner: ProcessSpawner;
  /** Whether the policy and the SACLs cover each patient-data folder, checked while the collector runs. */
  auditCheck?: ReadAuditCheck;
  /** `collector.reads` says failed while the query keeps dying (PowerShell refused, not an administrator). */
  health?: HealthReporter;
}

/** A folder now (ListDirectory shares ReadData's bit); a file gone since is taken as read. */
export function isFolderNow(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export class WindowsReadCollector implements Collector {
  readonly name = 'reads';
  private readonly reporter: ReadReporter;
  private reader: CommandLineReader<WindowsReadResult> | undefined;

  constructor(private readonly options: WindowsReadCollectorOptions) {
    this.reporter = new ReadReporter({ foldCase: true, isFolder: isFolderNow, ...options });
  }

  /** What became of the opens to read a patient file (the agent's status shows them). */
  get stats(): ReadCounts {
    return this.reporter.stats;
  }

  start(sink: EventSink): Promise<void> {
    if (this.reader) return Promise.resolve();
    this.reader = new CommandLineReader(
      {
        name: 'windows-security reads',
        command: 'powershell.exe',
        args: powerShellArgs(WINDOWS_READ_SCRIPT),
        parse: parseWindowsReadEvent,
      },
      this.options.spawner,
      {
        result: (result) => {
          if (result.kind === 'read') this.reporter.report(result.read, sink);
          else if (result.kind === 'error') sink.parseError(this.name, result.reason);
        },
        log: this.options.log,
        health: { reporter: this.options.health, component: READS_COMPONENT },
      },
    );
    this.reader.start();
    this.options.auditCheck?.start();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.options.auditCheck?.stop();
    this.reader?.stop();
    this.reader = undefined;
    return Promise.resolve();
  }
}
