// Appends to and reads the hash-chained audit log. Appends are serialised in one
// transaction that reads the head row, so two writers cannot fork the chain
// (on PostgreSQL a concurrent append fails on the primary key and is retried).
import { inTransaction } from '../database/transaction';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { Clock } from '../common/clock';
import { AuditLogEntity } from '../database/entities';
import { auditHash, GENESIS_HASH, verifyChain, type AuditRow, type ChainVerdict } from './audit-chain';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

const VERIFY_PAGE = 1_000;

@Injectable()
export class AuditService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Appends inside the caller's transaction when given one, so the audited change and its record commit together. */
  async append(entry: AuditEntry, manager?: EntityManager): Promise<AuditRow> {
    if (manager) return this.appendIn(manager, entry);
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.db, (tx) => this.appendIn(tx, entry));
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  }

  private async appendIn(manager: EntityManager, entry: AuditEntry): Promise<AuditRow> {
    const repo = manager.getRepository(AuditLogEntity);
    const [head] = await repo.find({ order: { seq: 'DESC' }, take: 1 });
    const content = {
      seq: (head?.seq ?? 0) + 1,
      timeMs: this.clock.now(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      details: entry.details ?? {},
    };
    const prevHash = head?.hash ?? GENESIS_HASH;
    const row: AuditRow = { ...content, prevHash, hash: auditHash(prevHash, content) };
    // TypeORM cannot type a JSON column through its transformer; the row matches the entity.
    await repo.insert(row as QueryDeepPartialEntity<AuditLogEntity>);
    return row;
  }

  async list(limit: number, beforeSeq?: number): Promise<AuditRow[]> {
    const qb = this.db.getRepository(AuditLogEntity).createQueryBuilder('a').orderBy('a.seq', 'DESC').take(limit);
    if (beforeSeq !== undefined) qb.where('a.seq < :beforeSeq', { beforeSeq });
    return qb.getMany();
  }

  /** Reads the whole chain in pages, oldest first, and checks it. */
  async verify(): Promise<ChainVerdict> {
    const repo = this.db.getRepository(AuditLogEntity);
    const all: AuditRow[] = [];
    for (let after = 0; ;) {
      const page = await repo
        .createQueryBuilder('a')
        .where('a.seq > :after', { after })
        .orderBy('a.seq', 'ASC')
        .take(VERIFY_PAGE)
        .getMany();
      all.push(...page);
      if (page.length < VERIFY_PAGE) break;
      after = page[page.length - 1].seq;
    }
    return verifyChain(all);
  }
}
