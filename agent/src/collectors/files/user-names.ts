// Owner uid → account name from /etc/passwd (local accounts), cached and
// re-read at most once a minute when an unknown uid shows up. Directory users
// (sssd, winbind) fall back to `uid:<n>`: still pseudonymised, still stable.
import { readFile } from 'node:fs/promises';

export class UserNames {
  private names = new Map<number, string>();
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly passwdPath = '/etc/passwd',
    private readonly now: () => number = Date.now,
  ) {}

  /** The name without waiting, or undefined when the passwd file should be read again first (use nameOf). */
  cachedName(uid: number): string | undefined {
    const name = this.names.get(uid);
    if (name !== undefined) return name;
    return this.now() - this.loadedAt > 60_000 ? undefined : `uid:${uid}`;
  }

  async nameOf(uid: number): Promise<string> {
    if (!this.names.has(uid) && this.now() - this.loadedAt > 60_000) await this.reload();
    return this.names.get(uid) ?? `uid:${uid}`;
  }

  private async reload(): Promise<void> {
    this.loadedAt = this.now();
    try {
      const text = await readFile(this.passwdPath, 'utf8');
      const names = new Map<number, string>();
      for (const line of text.split('\n')) {
        const [name, , uid] = line.split(':');
        if (name && uid && /^\d+$/.test(uid)) names.set(Number(uid), name);
      }
      this.names = names;
    } catch {
      // No passwd file (not Linux, or a locked-down container): uids stay numeric.
    }
  }
}
