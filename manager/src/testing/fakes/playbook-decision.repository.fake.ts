// In-memory PlaybookDecisionRepository for unit tests; like the table's primary key, a
// second claim of one (alert, key) stores nothing and answers false.
import type { PlaybookDecisionEntity } from '../../playbooks/playbook-decision.entity';
import type { PlaybookDecisionRepository } from '../../playbooks/playbook-decision.repository';
import { InMemoryTable, type Public } from './fakes';

export class InMemoryPlaybookDecisionRepository
  extends InMemoryTable<PlaybookDecisionEntity>
  implements Public<PlaybookDecisionRepository>
{
  claim(alertId: string, decisionKey: string, decidedAt: number): Promise<boolean> {
    if (this.rows.some((r) => r.alertId === alertId && r.decisionKey === decisionKey)) return Promise.resolve(false);
    this.rows.push({ alertId, decisionKey, decidedAt });
    return Promise.resolve(true);
  }
  pruneBefore(cutoff: number, limit: number): Promise<number> {
    const old = this.rows.filter((r) => r.decidedAt < cutoff).slice(0, limit);
    this.rows = this.rows.filter((r) => !old.includes(r));
    return Promise.resolve(old.length);
  }
  count(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
}
