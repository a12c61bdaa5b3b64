// uid → account name where the accounts are not in /etc/passwd (macOS keeps them in
// its directory service): asked of `id -nu <uid>` once and kept for `keepMs`. A uid
// that has no name is reported as `uid:<n>`, like PasswdUserNames does: still
// pseudonymised, still stable.
import { execFile } from 'node:child_process';
import { RecentMap } from '@wardwatch/shared/agent';

/** The account name of a uid, or undefined when the OS has none. */
export type UidLookup = (uid: number) => Promise<string | undefined>;

export const idLookup: UidLookup = (uid) =>
  new Promise((resolve) => {
    execFile('id', ['-nu', String(uid)], { timeout: 5_000 }, (error, stdout) => {
      const name = stdout.trim();
      resolve(error || !/^[^\s:]{1,256}$/.test(name) ? undefined : name);
    });
  });

/** Accounts a workstation has in use at once, with room. */
const MAX_UIDS = 1_024;

export class IdUserNames {
  private readonly names = new RecentMap<number, { name: Promise<string>; at: number }>(MAX_UIDS);

  constructor(
    private readonly lookup: UidLookup = idLookup,
    private readonly now: () => number = Date.now,
    private readonly keepMs = 10 * 60_000,
  ) {}

  name(uid: number): Promise<string> {
    const known = this.names.get(uid);
    if (known && this.now() - known.at < this.keepMs) return known.name;
    const name = this.lookup(uid).then((found) => found ?? `uid:${uid}`);
    this.names.set(uid, { name, at: this.now() });
    return name;
  }
}
