// Which actions were decided for which alert, kept in the database (playbook_decision)
// so that neither a restart nor two evaluations at once take one action twice.
//
// Invariants: `claim(alert, key)` is true for exactly one caller per (alert, key) while
// the row is kept; rows are kept REMEMBER_MS (far longer than an alert's window can grow)
// and then pruned on write, at most PRUNE_BATCH rows once per PRUNE_EVERY_MS, so the
// table stays bounded by the alerts of that period and a claim never waits on a big delete.
// A claim comes before the action: a manager that dies between the two loses the action
// (the alert stays open for a person) rather than ever taking it twice.
import { Injectable, Optional } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JsonLogger } from '../logging/json-logger';
import { PlaybookDecisionRepository } from './playbook-decision.repository';

export const REMEMBER_MS = 7 * 24 * 3_600_000;
export const PRUNE_EVERY_MS = 60_000;
export const PRUNE_BATCH = 1_000;

@Injectable()
export class DecisionMemory {
  private nextPruneAt = 0;
  private readonly log: JsonLogger;

  constructor(
    private readonly rows: PlaybookDecisionRepository,
    private readonly clock: Clock,
    @Optional() logger?: JsonLogger,
  ) {
    this.log = (logger ?? new JsonLogger('error', { write: () => undefined })).child('playbooks');
  }

  /** True the first time (alert, key) is claimed, in this manager or any before it on this database. */
  async claim(alertId: string, key: string): Promise<boolean> {
    const now = this.clock.now();
    const claimed = await this.rows.claim(alertId, key, now);
    if (claimed && now >= this.nextPruneAt) {
      this.nextPruneAt = now + PRUNE_EVERY_MS;
      await this.rows
        .pruneBefore(now - REMEMBER_MS, PRUNE_BATCH)
        .catch((error: unknown) => this.log.warn('decision memory prune failed', { error: String(error) }));
    }
    return claimed;
  }
}
