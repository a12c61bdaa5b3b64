// Whether the kernel audits reads in the patient-data folders at all: without a
// read rule the read collector runs and sees nothing, and a site would take the
// silence for no one reading. The loaded rules (`auditctl -l`) are read at start
// and every few minutes, and the agent's health (`collector.reads.rule`, for the
// tray and the manager) says what they cover: every patient-data folder
// (running), none (stopped: the site audits no reads), or some (failed, naming
// the folders a rule was forgotten for, also in the log).
import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import { READ_RULE_COMPONENT } from '@wardwatch/shared/agent';
import type { HealthReporter } from '../../status/component-health';
import { AUDITCTL } from '../audit/auditd-check';
import { type AuditFinding, PeriodicAuditCheck } from '../audit/periodic-audit-check';

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

export interface ReadRuleCheckOptions {
  list: AuditRuleLister;
  /** The patient-data folders. */
  folders: readonly string[];
  health?: HealthReporter;
  log?: (level: 'info' | 'warn', message: string) => void;
  everyMs?: number;
}

/**
 * Checks the loaded rules at start and every `everyMs`; says a finding when it changes. Rules that
 * covered every folder and are gone later were taken away (`auditctl -D` before reading charts
 * unseen), not a site's choice: failed, not stopped.
 */
export class ReadRuleCheck extends PeriodicAuditCheck {
  constructor({ list, folders, health, log, everyMs = 5 * 60_000 }: ReadRuleCheckOptions) {
    let audited = false;
    super({
      component: READ_RULE_COMPONENT,
      health,
      log,
      everyMs,
      inspect: async () => {
        const finding = readRuleFinding(folders, await list());
        if (finding.state === 'running') audited = true;
        return finding.state === 'stopped' && audited ? { state: 'failed', level: 'warn', text: REMOVED } : finding;
      },
    });
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
  const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
  return `no audit read rule covers ${missing.slice(0, 3).join(', ')}${more}: reads there are not seen (agent README, Reads of patient files)`;
}
