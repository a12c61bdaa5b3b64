// A check of the kernel audit's own state, run at start and every few minutes
// (is auditd alive, do the rules cover the patient-data folders): what it finds
// goes to the agent's health (for the tray and the manager) and the log, and is
// said again only when it changes, so an unchanged finding is not repeated.
import type { ComponentState, HealthReporter } from '../../status/component-health';

export interface AuditFinding {
  /** Left out when the check could not tell (not root, no auditctl): the health stays as it was. */
  state?: ComponentState;
  level: 'info' | 'warn';
  /** '' when all is well (nothing logged). */
  text: string;
}

export interface PeriodicAuditCheckOptions {
  /** The health component it reports, e.g. `collector.audit`. */
  component: string;
  inspect: () => Promise<AuditFinding>;
  health?: HealthReporter;
  log?: (level: 'info' | 'warn', message: string) => void;
  everyMs: number;
}

export class PeriodicAuditCheck {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** What the last check found, said again only when it changes. */
  private finding: string | undefined;

  constructor(private readonly options: PeriodicAuditCheckOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.options.everyMs);
    this.timer.unref();
  }

  stop(): void {
    this.running = false;
    clearInterval(this.timer);
  }

  async check(): Promise<void> {
    const { state, level, text } = await this.options.inspect();
    if (!this.running) return;
    const key = `${state ?? '?'}:${text}`;
    if (key === this.finding) return;
    this.finding = key;
    if (text) this.options.log?.(level, text);
    if (state) this.options.health?.report(this.options.component, state, text || undefined);
  }
}
