// Storage of the decision memory. A claim is an insert that does nothing when the key is
// stored already (ON CONFLICT DO NOTHING on the primary key), so of two evaluations of
// one alert, in one manager or two, exactly one gets the row.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deleteBounded } from '../database/bounded-delete';
import { insertNewRows } from '../database/insert-new-rows';
import { PlaybookDecisionEntity } from './playbook-decision.entity';

@Injectable()
export class PlaybookDecisionRepository {
  constructor(private readonly db: DataSource) {}

  /** True when this call stored the (alert, key) row; false when it was stored already. */
  async claim(alertId: string, decisionKey: string, decidedAt: number): Promise<boolean> {
    const row: PlaybookDecisionEntity = { alertId, decisionKey, decidedAt };
    return (await insertNewRows(this.db.manager, PlaybookDecisionEntity, [row])).length === 1;
  }

  /** Deletes at most `limit` rows decided before `cutoff`; returns how many went. */
  pruneBefore(cutoff: number, limit: number): Promise<number> {
    return deleteBounded(this.db.manager, {
      entity: PlaybookDecisionEntity,
      keys: ['alert_id', 'decision_key'],
      where: 'old.decided_at < :cutoff',
      cutoffMs: cutoff,
      limit,
    });
  }

  count(): Promise<number> {
    return this.db.getRepository(PlaybookDecisionEntity).count();
  }
}
