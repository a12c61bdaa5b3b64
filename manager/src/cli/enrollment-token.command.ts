// `enrollment-token create`: opens the same database as the manager (running or
// not), makes sure the PKI exists, creates a token and prints one JSON line.
import { randomBytes } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository';
import { loadOrCreateKeyring } from '../audit/audit-keyring';
import { AuditService } from '../audit/audit.service';
import { Clock, RandomSource } from '../common/clock';
import type { ManagerConfig } from '../config/config.schema';
import { secureDataFolder } from '../data-folder/data-folder';
import { openDatabase } from '../database/data-source.factory';
import { TransactionRunner } from '../database/transaction.runner';
import { EnrollmentTokenRepository } from '../enrollment/enrollment-token.repository';
import { EnrollmentTokenService } from '../enrollment/enrollment-token.service';
import { managerEntities } from '../entities';
import { ensurePki } from '../pki/pki.service';
import { PkiStore } from '../pki/pki.store';
import { readRuntime } from './runtime-file';

export interface TokenLine {
  token: string;
  expiresAt: number;
  caFingerprint: string;
  grpcPort: number;
}

export async function createEnrollmentTokenCommand(config: ManagerConfig, ttlMinutes: number): Promise<TokenLine> {
  secureDataFolder(config.dataDir);
  const pki = await ensurePki(new PkiStore(config.dataDir), config.tlsSans, Date.now(), () => randomBytes(32));
  const db = await openDatabase(config.database, managerEntities);
  try {
    // The two services it needs, wired by hand: starting the whole Nest application would bind its ports.
    const clock = new Clock();
    const transactions = new TransactionRunner(db);
    const auditRows = new AuditRepository(db);
    const keyring = await loadOrCreateKeyring(config.audit.keyFile, () => auditRows.nextSeq(), clock.now());
    const audit = new AuditService(auditRows, transactions, clock, keyring);
    const tokens = new EnrollmentTokenService(
      new EnrollmentTokenRepository(db),
      transactions,
      clock,
      new RandomSource(),
      audit,
    );
    const { token, expiresAt } = await tokens.create(ttlMinutes, 'cli');
    // The port a running manager really bound (it may have been 0 = chosen by the OS), else the configured one.
    const grpcPort = readRuntime(config.dataDir)?.grpcPort ?? config.grpc.port;
    return { token, expiresAt, caFingerprint: pki.caFingerprint, grpcPort };
  } finally {
    await db.destroy();
  }
}
