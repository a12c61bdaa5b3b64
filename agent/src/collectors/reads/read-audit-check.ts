// Whether the OS audits reads in the patient-data folders at all (Linux: the loaded
// audit rules; Windows: the audit policy and the folders' SACLs): without that the
// read collector runs and sees nothing, and a site would take the silence for no
// one reading. Checked at start and every few minutes; the health
// `collector.reads.rule` (for the tray and the manager) says every folder
// (running), none (stopped: the site audits no reads, its choice) or some (failed).
import { READ_RULE_COMPONENT } from '@wardwatch/shared/agent';
import type { HealthReporter } from '../../status/component-health';
import { type AuditFinding, PeriodicAuditCheck } from '../audit/periodic-audit-check';

export interface ReadAuditCheckOptions {
  /** What the OS's audit settings say of the folders now. */
  inspect: () => Promise<AuditFinding>;
  /** Said when what covered every folder covers none later. */
  removed: string;
  health?: HealthReporter;
  log?: (level: 'info' | 'warn', message: string) => void;
  everyMs?: number;
}

/**
 * Audit that covered every folder and is gone later was taken away (`auditctl -D`, a SACL or the
 * policy turned off before reading charts unseen), not a site's choice: failed, not stopped.
 */
export class ReadAuditCheck extends PeriodicAuditCheck {
  constructor({ inspect, removed, health, log, everyMs = 5 * 60_000 }: ReadAuditCheckOptions) {
    let audited = false;
    super({
      component: READ_RULE_COMPONENT,
      health,
      log,
      everyMs,
      inspect: async () => {
        const finding = await inspect();
        if (finding.state === 'running') audited = true;
        return finding.state === 'stopped' && audited ? { state: 'failed', level: 'warn', text: removed } : finding;
      },
    });
  }
}

/** The first three folders, and how many more: a finding's text stays short. */
export function firstFolders(folders: readonly string[]): string {
  const more = folders.length > 3 ? ` and ${folders.length - 3} more` : '';
  return `${folders.slice(0, 3).join(', ')}${more}`;
}
