// uid → account name from /etc/passwd, re-read only when the file changes.
// (Directory-service accounts not in /etc/passwd are reported as `uid:<n>`.)
import { readFileSync, statSync } from 'node:fs';
import { parsePasswd } from './proc-stat';

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
