// Appends to and reads the keyed audit chain (audit-chain.ts). An append reads the
// head row and inserts the next in one transaction — the caller's, when the audited
// change is being written, so both commit together — holding the chain's lock
// (audit.repository.ts), so two writers cannot fork the chain: the second reads the
// head the first committed. (Were the lock ever bypassed, the primary key would refuse
// the fork and the transaction runner would run it again.)
import { Inject, Injectable } from '@nestjs/common';
import type { AuditFilter } from '@wardwatch/shared';
import { Clock } from '../common/clock';
import { TransactionRunner, type Tx } from '../database/transaction.runner';
import { chainLink, GENESIS_HASH, verifyChain, type AuditRow, type ChainVerdict } from './audit-chain';
import type { AuditKeyring } from './audit-keyring';
import { AuditRepository } from './audit.repository';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

/** Injection token of the keyring loaded from the key file at start-up (audit.module.ts). */
export const AUDIT_KEYRING = Symbol('AuditKeyring');

const VERIFY_PAGE = 1_000;

@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(AUDIT_KEYRING) readonly keyring: AuditKeyring,
  ) {}

  /** Appends inside the caller's transaction when given one, else in a transaction of its own. */
  append(entry: AuditEntry, tx?: Tx): Promise<AuditRow> {
    if (tx) return this.appendIn(tx, entry);
    return this.transactions.run((own) => this.appendIn(own, entry));
  }

  private async appendIn(tx: Tx, entry: AuditEntry): Promise<AuditRow> {
    await this.repo.lockHead(tx);
    const head = await this.repo.head(tx);
    const content = {
      seq: (head?.seq ?? 0) + 1,
      timeMs: this.clock.now(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      details: entry.details ?? {},
    };
    const prevHash = head?.hash ?? GENESIS_HASH;
    const row: AuditRow = { ...content, prevHash, hash: chainLink(this.keyring, prevHash, content) };
    await this.repo.insert(row, tx);
    return row;
  }

  /** Newest first, matching the filter, before `beforeSeq` when given. */
  list(limit: number, beforeSeq?: number, filter: AuditFilter = {}): Promise<AuditRow[]> {
    return this.repo.list(limit, beforeSeq, filter);
  }

  /** Oldest first, after `afterSeq` (forwarding/ tails the log). */
  listAfter = (afterSeq: number, limit: number): Promise<AuditRow[]> => this.repo.listAfter(afterSeq, limit);

  /** The whole table, oldest first, read in pages. */
  async readAll(): Promise<AuditRow[]> {
    const all: AuditRow[] = [];
    for (let after = 0; ;) {
      const page = await this.repo.listAfter(after, VERIFY_PAGE);
      all.push(...page);
      if (page.length < VERIFY_PAGE) break;
      after = page[page.length - 1].seq;
    }
    return all;
  }

  /** The chain alone (links and MACs); audit-verification.service.ts adds the checkpoints. */
  async verify(): Promise<ChainVerdict> {
    return verifyChain(await this.readAll(), this.keyring);
  }
}
