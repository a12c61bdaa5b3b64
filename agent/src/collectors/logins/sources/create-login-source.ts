// Builds the login source chosen for this host (choose-login-source.ts).
import { parseLinuxAuthLine } from '../parsers/linux-auth-line';
import { JournalReader, MacosLogReader, WindowsSecurityLogReader } from '../readers/os-readers';
import type { ReaderHandlers } from '../../command-line-reader';
import type { ProcessSpawner } from '../../process-spawner';
import type { HealthReporter } from '../../../status/component-health';
import type { ParseResult } from '../parsers/parse-result';
import { AuthLogSource } from './auth-log-source';
import type { LoginSourceKind } from './choose-login-source';
import type { LoginSource, LoginSourceHandlers } from './login-source';
import { ReaderSource } from './reader-source';

/** The login collector's component (`collector.<name>`, as the supervisor names it). */
const LOGINS_COMPONENT = 'collector.logins';

export interface LoginSourceDeps {
  spawner: ProcessSpawner;
  /** `collector.logins` says failed while a reader's command keeps dying (journalctl, PowerShell, log). */
  health?: HealthReporter;
  authLog: string | null;
  /** A journald namespace to read (`journalctl --namespace=`); the system journal when undefined. */
  journalNamespace?: string;
  pollMs?: number;
}

export function createLoginSource(kind: LoginSourceKind, deps: LoginSourceDeps): LoginSource | null {
  const health = { reporter: deps.health, component: LOGINS_COMPONENT };
  const handlers = (h: LoginSourceHandlers): ReaderHandlers<ParseResult> => ({ ...h, health });
  switch (kind) {
    case 'authlog':
      return deps.authLog
        ? new AuthLogSource({ path: deps.authLog, parse: parseLinuxAuthLine, pollMs: deps.pollMs })
        : null;
    case 'journald':
      return new ReaderSource('journald', (h) => new JournalReader(deps.spawner, handlers(h), deps.journalNamespace));
    case 'windows-security':
      return new ReaderSource('windows-security', (h) => new WindowsSecurityLogReader(deps.spawner, handlers(h)));
    case 'macos-unified-log':
      return new ReaderSource('macos-unified-log', (h) => new MacosLogReader(deps.spawner, handlers(h)));
    case 'none':
      return null;
  }
}
