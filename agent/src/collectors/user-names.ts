// uid → account name from /etc/passwd, for every collector that sees a uid (file
// owners, processes, sockets): one cache, re-read only when the file changes, at
// most every `recheckMs`. Synchronous, so a file event on a local disk can still be
// reported without waiting. Directory-service accounts not in /etc/passwd (sssd,
// winbind) are reported as `uid:<n>`: still pseudonymised, still stable.
import { readFileSync, statSync } from 'node:fs';

export interface UserNames {
  name(uid: number): string;
}

export class PasswdUserNames implements UserNames {
  private users = new Map<number, string>();
  private mtimeMs = -1;
  private checkedAt = 0;

  constructor(
    private readonly path = '/etc/passwd',
    private readonly now: () => number = Date.now,
    private readonly recheckMs = 10_000,
  ) {}

  name(uid: number): string {
    this.refresh();
    return this.users.get(uid) ?? `uid:${uid}`;
  }

  private refresh(): void {
    const now = this.now();
    if (now - this.checkedAt < this.recheckMs && this.mtimeMs !== -1) return;
    this.checkedAt = now;
    try {
      const mtimeMs = statSync(this.path).mtimeMs;
      if (mtimeMs === this.mtimeMs) return;
      this.users = parsePasswd(readFileSync(this.path, 'utf8'));
      this.mtimeMs = mtimeMs;
    } catch {
      // Unreadable passwd: keep what we had; names fall back to uid:<n>.
    }
  }
}

/** Uid of each name in /etc/passwd. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const uid = Number(fields[2]);
    if (fields[0] && Number.isInteger(uid) && !users.has(uid)) users.set(uid, fields[0]);
  }
  return users;
}
