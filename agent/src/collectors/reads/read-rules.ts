// Whether the kernel audits reads in the patient-data folders at all: without a
// read rule the read collector runs and sees nothing, and a site would take the
// silence for no one reading. The loaded rules (`auditctl -l`) are read at start
// and every few minutes; the folders no rule with `r` covers are said in the log
// and in the agent's health (`collector.reads.rule`), for the tray and the manager.
import { execFile } from 'node:child_process';
import { posix } from 'node:path';

export const READ_RULE_COMPONENT = 'collector.reads.rule';

/** The loaded audit rules as `auditctl -l` prints them; undefined when they cannot be listed (not root, no auditctl). */
export type AuditRuleLister = () => Promise<string | undefined>;

export const auditctlRules: AuditRuleLister = () =>
  new Promise((resolve) => {
    execFile('/usr/sbin/auditctl', ['-l'], { timeout: 5_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });

/** The folders whose reads a rule audits: `-w <dir> -p …r…`, or an exit rule with `-F dir=<dir>` and `-F perm=…r…`. */
export function readAuditedFolders(rules: string): string[] {
  const folders: string[] = [];
  for (const line of rules.split('\n')) {
    const watch = /^-w (.+?) -p ([rwxa]+)(?: |$)/.exec(line);
    if (watch) {
      if (watch[2].includes('r')) folders.push(watch[1]);
      continue;
    }
    if (!/^-a (?:always,exit|exit,always) /.test(line)) continue;
    const dir = / -F dir=(.+?)(?= -[FSkw] |$)/.exec(line)?.[1];
    const perm = / -F perm=([rwxa]+)(?: |$)/.exec(line)?.[1];
    if (dir && perm?.includes('r')) folders.push(dir);
  }
  return folders;
}

/** Of these folders, those no audited folder holds (or is). */
export function foldersWithoutReadRule(folders: readonly string[], rules: string): string[] {
  const audited = readAuditedFolders(rules).map(bare);
  const under = (folder: string, dir: string) => folder === dir || folder.startsWith(dir === '/' ? dir : `${dir}/`);
  return folders.filter((folder) => !audited.some((dir) => under(bare(folder), dir)));
}

/** Normalised, without a trailing slash (but `/`). */
function bare(path: string): string {
  return posix.normalize(path).replace(/(?<=.)\/+$/, '');
}
