// Builds the login source chosen for this host (choose-login-source.ts).
import { parseLinuxAuthLine } from '../parsers/linux-auth-line';
import { JournalReader, MacosLogReader, WindowsSecurityLogReader } from '../readers/os-readers';
import type { ProcessSpawner } from '../../process-spawner';
import { AuthLogSource } from './auth-log-source';
import type { LoginSourceKind } from './choose-login-source';
import type { LoginSource } from './login-source';
import { ReaderSource } from './reader-source';

export interface LoginSourceDeps {
  spawner: ProcessSpawner;
  authLog: string | null;
  /** A journald namespace to read (`journalctl --namespace=`); the system journal when undefined. */
  journalNamespace?: string;
  pollMs?: number;
}

export function createLoginSource(kind: LoginSourceKind, deps: LoginSourceDeps): LoginSource | null {
  switch (kind) {
    case 'authlog':
      return deps.authLog
        ? new AuthLogSource({ path: deps.authLog, parse: parseLinuxAuthLine, pollMs: deps.pollMs })
        : null;
    case 'journald':
      return new ReaderSource('journald', (h) => new JournalReader(deps.spawner, h, deps.journalNamespace));
    case 'windows-security':
      return new ReaderSource('windows-security', (h) => new WindowsSecurityLogReader(deps.spawner, h));
    case 'macos-unified-log':
      return new ReaderSource('macos-unified-log', (h) => new MacosLogReader(deps.spawner, h));
    case 'none':
      return null;
  }
}
