// Whether the kernel audit's loaded rules (`auditctl -l`) audit reads in the
// patient-data folders (read-audit-check.ts says what a finding means): every
// folder (running), none (stopped) or some (failed, naming the folders a rule was
// forgotten for, also in the log).
import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { AUDITCTL } from '../audit/auditd-check';
import type { AuditFinding } from '../audit/periodic-audit-check';
import { firstFolders, ReadAuditCheck, type ReadAuditCheckOptions } from './read-audit-check';

/** The loaded audit rules as `auditctl -l` prints them; undefined when they cannot be listed (not root, no auditctl). */
export type AuditRuleLister = () => Promise<string | undefined>;

export const auditctlRules: AuditRuleLister = () =>
  new Promise((resolve) => {
    execFile(AUDITCTL, ['-l'], { timeout: 5_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) =>
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

export interface ReadRuleCheckOptions extends Omit<ReadAuditCheckOptions, 'inspect' | 'removed'> {
  list: AuditRuleLister;
  /** The patient-data folders. */
  folders: readonly string[];
}

/** The loaded rules checked at start and every `everyMs`. */
export class ReadRuleCheck extends ReadAuditCheck {
  constructor({ list, folders, ...rest }: ReadRuleCheckOptions) {
    super({ ...rest, removed: REMOVED, inspect: async () => readRuleFinding(folders, await list()) });
  }
}

/** What the loaded rules (undefined: not listed) say about the patient-data folders' reads. */
export function readRuleFinding(folders: readonly string[], rules: string | undefined): AuditFinding {
  if (rules === undefined) return { level: 'info', text: UNKNOWN };
  const missing = foldersWithoutReadRule(folders, rules);
  // No rule on any of them: the site audits no reads (its choice; said, not failed). Some: a rule forgotten.
  if (missing.length === 0) return { state: 'running', level: 'info', text: '' };
  if (missing.length === folders.length) return { state: 'stopped', level: 'info', text: NOT_AUDITED };
  return { state: 'failed', level: 'warn', text: uncovered(missing) };
}

const REMOVED =
  'the audit read rules on the patient-data folders were removed while the agent ran: reads are no longer seen';
const UNKNOWN = 'the audit rules cannot be listed (auditctl -l): whether reads are audited is not known';
const NOT_AUDITED =
  'reads are not audited here: no audit read rule on the patient-data folders (agent README, Reads of patient files)';

function uncovered(missing: readonly string[]): string {
  return `no audit read rule covers ${firstFolders(missing)}: reads there are not seen (agent README, Reads of patient files)`;
}
