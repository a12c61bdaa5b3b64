// Writes the oracle's evaluations to the audit chain without flooding it: every
// `pseudonyms.auditIntervalMs` (an hour by default) one row per agent that called in the
// window, with the values evaluated and the calls refused by reason (a rate-limit hit is
// `rate_limited`), and a last one at shutdown. A failed write keeps the counts for the next
// window. The per-refusal warning in the log stays; this is the record that is kept.
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { EvaluationTally } from './evaluation-tally';

export const EVALUATION_AUDIT_ACTION = 'pseudonym.evaluations';

@Injectable()
export class EvaluationAuditJob extends IntervalJob {
  constructor(
    private readonly tally: EvaluationTally,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'pseudonyms'>,
    logger: JsonLogger,
  ) {
    super(logger.child('pseudonyms'), 'pseudonym evaluation audit failed');
  }

  protected intervalMs(): number {
    return this.config.pseudonyms.auditIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    const tally = this.tally;
    const taken = tally.take(this.clock.now());
    const windowEndMs = this.clock.now();
    let written = 0;
    try {
      for (const t of taken.tallies) {
        await this.audit.append({
          actor: `agent:${t.agentId}`,
          action: EVALUATION_AUDIT_ACTION,
          target: t.agentId,
          details: {
            windowStartMs: taken.windowStartMs,
            windowEndMs,
            firstCallMs: t.firstAtMs,
            values: t.values,
            calls: t.calls,
            refused: t.refused,
          },
        });
        written += 1;
      }
    } catch (error) {
      tally.restore({ windowStartMs: taken.windowStartMs, tallies: taken.tallies.slice(written) });
      throw error;
    }
    if (written > 0) this.log.info('pseudonym evaluations audited', { agents: written });
  }

  /** The last window too, before the database closes. */
  override async beforeApplicationShutdown(): Promise<void> {
    await super.beforeApplicationShutdown();
    await this.tick();
  }
}
