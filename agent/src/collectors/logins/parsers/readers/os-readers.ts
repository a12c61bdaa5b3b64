// The three live login readers. Each starts only where its source exists and
// reports `false` from start() elsewhere, so the caller can log why.
import { MACOS_LOGIN_PREDICATE, parseMacosLogRecord } from '../macos-log-record';
import { parseJournalRecord } from '../journal-record';
import { parseWindowsSecurityEvent } from '../windows-security-event';
import { encodePowerShell, WINDOWS_SECURITY_SCRIPT } from '../windows-security-script';
import { CommandLineReader, type CommandSpec, type ReaderHandlers } from './command-line-reader';
import type { ProcessSpawner } from './process-spawner';

abstract class OsLoginReader {
  private reader: CommandLineReader | undefined;

  constructor(
    protected readonly spawner: ProcessSpawner,
    private readonly handlers: ReaderHandlers,
  ) {}

  protected abstract available(): boolean;
  protected abstract spec(): CommandSpec;

  /** Starts reading; false when this OS has no such source. */
  start(): boolean {
    if (this.reader) return true;
    if (!this.available()) return false;
    this.reader = new CommandLineReader(this.spec(), this.spawner, this.handlers);
    this.reader.start();
    return true;
  }

  stop(): void {
    this.reader?.stop();
    this.reader = undefined;
  }
}

/**
 * journald, from now on (`-n 0`), limited to the auth and authpriv facilities
 * (4 and 10), where sshd, login, su, sudo and PAM write.
 */
export const JOURNALCTL_ARGS = ['-f', '-o', 'json', '-n', '0', 'SYSLOG_FACILITY=4', 'SYSLOG_FACILITY=10'] as const;

export class JournalReader extends OsLoginReader {
  protected available(): boolean {
    return this.spawner.platform === 'linux' && this.spawner.commandExists('journalctl');
  }

  protected spec(): CommandSpec {
    return { name: 'journald', command: 'journalctl', args: JOURNALCTL_ARGS, parse: parseJournalRecord };
  }
}

export class WindowsSecurityLogReader extends OsLoginReader {
  protected available(): boolean {
    return this.spawner.platform === 'win32';
  }

  protected spec(): CommandSpec {
    return {
      name: 'windows-security',
      command: 'powershell.exe',
      args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodePowerShell(WINDOWS_SECURITY_SCRIPT)],
      parse: parseWindowsSecurityEvent,
    };
  }
}

export class MacosLogReader extends OsLoginReader {
  protected available(): boolean {
    return this.spawner.platform === 'darwin';
  }

  protected spec(): CommandSpec {
    return {
      name: 'macos-unified-log',
      command: '/usr/bin/log',
      args: ['stream', '--style', 'ndjson', '--level', 'info', '--predicate', MACOS_LOGIN_PREDICATE],
      parse: parseMacosLogRecord,
    };
  }
}
