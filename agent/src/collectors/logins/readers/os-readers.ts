// The three live login readers. Each starts only where its source exists and
// reports `false` from start() elsewhere, so the caller can log why.
import { MACOS_LOGIN_PREDICATE, parseMacosLogRecord } from '../parsers/macos-log-record';
import { parseJournalRecord } from '../parsers/journal-record';
import { parseWindowsSecurityEvent } from '../parsers/windows-security-event';
import { WINDOWS_SECURITY_SCRIPT } from '../parsers/windows-security-script';
import { powerShellArgs } from '../../windows-security-log/security-log-script';
import type { ParseResult } from '../parsers/parse-result';
import { CommandLineReader, type CommandSpec, type ReaderHandlers } from '../../command-line-reader';
import type { ProcessSpawner } from '../../process-spawner';

abstract class OsLoginReader {
  private reader: CommandLineReader<ParseResult> | undefined;

  constructor(
    protected readonly spawner: ProcessSpawner,
    private readonly handlers: ReaderHandlers<ParseResult>,
  ) {}

  protected abstract available(): boolean;
  protected abstract spec(): CommandSpec<ParseResult>;

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
 * journald, from now on (`-n 0`), only the fields the parser reads. The auth
 * and authpriv facilities (4 and 10, where sshd, login, su, sudo and PAM write)
 * are picked here rather than by journalctl matches: journalctl 252 (Debian 12)
 * in follow mode with matches was seen here to drop records written in quick
 * succession, which would lose logins.
 */
const JOURNAL_FIELDS = '--output-fields=MESSAGE,SYSLOG_IDENTIFIER,_COMM,_PID,_HOSTNAME,SYSLOG_FACILITY';
export const JOURNALCTL_ARGS = ['-f', '-o', 'json', '-n', '0', JOURNAL_FIELDS] as const;

/** A cheap test before JSON.parse: most journal records are not auth records. */
export function isAuthFacilityRecord(line: string): boolean {
  return line.includes('"SYSLOG_FACILITY":"10"') || line.includes('"SYSLOG_FACILITY":"4"');
}

function parseAuthJournalRecord(line: string): ParseResult {
  return isAuthFacilityRecord(line) ? parseJournalRecord(line) : { kind: 'ignored' };
}

export class JournalReader extends OsLoginReader {
  /** The cursor of the last record read: a restarted journalctl resumes after it, so nothing written meanwhile is lost. */
  private cursor: string | undefined;

  constructor(
    spawner: ProcessSpawner,
    handlers: ReaderHandlers<ParseResult>,
    private readonly namespace?: string,
  ) {
    super(spawner, handlers);
    if (namespace !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(namespace))
      throw new Error('journal namespace must be letters, digits, "_", "." or "-"');
  }

  protected available(): boolean {
    return this.spawner.platform === 'linux' && this.spawner.commandExists('journalctl');
  }

  protected spec(): CommandSpec<ParseResult> {
    return {
      name: 'journald',
      command: 'journalctl',
      args: () => this.args(),
      parse: (line) => {
        this.cursor = journalCursor(line) ?? this.cursor;
        return parseAuthJournalRecord(line);
      },
    };
  }

  private args(): readonly string[] {
    const namespace = this.namespace === undefined ? [] : [`--namespace=${this.namespace}`];
    if (this.cursor === undefined) return [...namespace, ...JOURNALCTL_ARGS];
    // Not -n 0, which would skip what was written while journalctl was down.
    return [...namespace, '-f', '-o', 'json', `--after-cursor=${this.cursor}`, JOURNAL_FIELDS];
  }
}

/** `__CURSOR` of one `journalctl -o json` line, found without parsing the whole record. */
export function journalCursor(line: string): string | undefined {
  const at = line.indexOf('"__CURSOR":"');
  if (at < 0) return undefined;
  const start = at + 12;
  const end = line.indexOf('"', start);
  const cursor = end < 0 ? '' : line.slice(start, end);
  // A cursor is `s=…;i=…;b=…;m=…;t=…;x=…`: hex, letters, = and ;. Anything else is not one.
  return /^[A-Za-z0-9=;]{1,256}$/.test(cursor) ? cursor : undefined;
}

export class WindowsSecurityLogReader extends OsLoginReader {
  protected available(): boolean {
    return this.spawner.platform === 'win32';
  }

  protected spec(): CommandSpec<ParseResult> {
    return {
      name: 'windows-security',
      command: 'powershell.exe',
      args: powerShellArgs(WINDOWS_SECURITY_SCRIPT),
      parse: parseWindowsSecurityEvent,
    };
  }
}

export class MacosLogReader extends OsLoginReader {
  protected available(): boolean {
    return this.spawner.platform === 'darwin';
  }

  protected spec(): CommandSpec<ParseResult> {
    return {
      name: 'macos-unified-log',
      command: '/usr/bin/log',
      args: ['stream', '--style', 'ndjson', '--level', 'info', '--predicate', MACOS_LOGIN_PREDICATE],
      parse: parseMacosLogRecord,
    };
  }
}
