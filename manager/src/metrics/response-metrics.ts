// Prometheus metrics of responses: commands issued (by action and who decided), their
// results, what was refused from agents' reports, caps hit and approvals waiting. In the
// app instance's registry (ManagerMetrics). Each label value is checked against a fixed
// set here, whoever calls: a value outside it (an agent's string, a new name not listed)
// is counted as `other`, so the number of series stays fixed.
import { Injectable } from '@nestjs/common';
import { commandActionKinds, commandStates } from '@wardwatch/shared';
import { Counter, Gauge } from 'prom-client';
import { ManagerMetrics } from './manager-metrics';

/** Who decided a command: a playbook alone, a person approving a playbook's proposal, or a person asking. */
export type CommandMode = 'automatic' | 'approved' | 'manual';

const ACTIONS = new Set<string>(commandActionKinds);
const MODES = new Set<string>(['automatic', 'approved', 'manual']);
const OUTCOMES = new Set<string>(commandStates);
/** playbooks/: CapReason. */
const CAPS = new Set<string>(['fleet', 'unit', 'break_glass', 'maintenance']);

const known = (set: Set<string>, value: string) => (set.has(value) ? value : 'other');

@Injectable()
export class ResponseMetrics {
  private readonly issued: Counter<'action' | 'mode'>;
  private readonly results: Counter<'outcome'>;
  private readonly refusals: Counter<'reason'>;
  private readonly caps: Counter<'cap'>;
  private readonly refusalReasons = new Set<string>();
  private pendingApprovals: (() => Promise<number>) | undefined;

  constructor(metrics: ManagerMetrics) {
    const registers = [metrics.registry];
    this.issued = new Counter({
      name: 'wardwatch_response_commands_issued_total',
      help: 'Response commands issued, by action and mode (automatic: a playbook alone; approved: a person approved a proposal; manual: a person asked).',
      labelNames: ['action', 'mode'] as const,
      registers,
    });
    this.results = new Counter({
      name: 'wardwatch_response_command_results_total',
      help: 'What became of response commands, by outcome (an agent result, or expired when never sent in time).',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.refusals = new Counter({
      name: 'wardwatch_response_command_refusals_total',
      help: 'Command results and local actions from agents the manager ignored or cut, by reason (commands/command-refusals.ts).',
      labelNames: ['reason'] as const,
      registers,
    });
    this.caps = new Counter({
      name: 'wardwatch_response_caps_hit_total',
      help: 'Automatic actions turned into approval requests, by cap (fleet, unit) or guard (break_glass, maintenance).',
      labelNames: ['cap'] as const,
      registers,
    });
    const read = () => this.pendingApprovals?.() ?? Promise.resolve(0);
    new Gauge({
      name: 'wardwatch_response_approvals_pending',
      help: 'Approval requests waiting for a person now (read from the database at each scrape).',
      registers,
      async collect() {
        // A database that does not answer must not take /metrics down with it (wardwatch_db_up says why): NaN, unknown.
        this.set(await read().catch(() => Number.NaN));
      },
    });
  }

  commandIssued(action: string, mode: CommandMode): void {
    this.issued.inc({ action: known(ACTIONS, action), mode: known(MODES, mode) });
  }

  commandFinished(outcome: string): void {
    this.results.inc({ outcome: known(OUTCOMES, outcome) });
  }

  /** commands/ names its refusal reasons once (each series then starts at 0); others count as `other`. */
  declareRefusals(reasons: readonly string[]): void {
    for (const reason of reasons) {
      this.refusalReasons.add(reason);
      this.refusals.inc({ reason }, 0);
    }
  }

  refused(reason: string): void {
    this.refusals.inc({ reason: known(this.refusalReasons, reason) });
  }

  capHit(cap: string): void {
    this.caps.inc({ cap: known(CAPS, cap) });
  }

  /** approvals/ says how to count the pending approvals; counted at each scrape. */
  observePendingApprovals(count: () => Promise<number>): void {
    this.pendingApprovals = count;
  }
}
