import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { loadOrCreateKeyring } from './audit-keyring';
import { AuditRepository } from './audit.repository';
import { AUDIT_KEYRING, AuditService } from './audit.service';

/**
 * The keyed audit chain: every feature writes its audited changes through AuditService.
 * Its verification, checkpoints and routes are in AuditVerificationModule, which needs
 * alerts (and alerts need this module).
 */
@Module({
  providers: [
    AuditRepository,
    AuditService,
    {
      provide: AUDIT_KEYRING,
      useFactory: (repo: AuditRepository, config: Pick<ManagerConfig, 'audit'>, clock: Clock) =>
        loadOrCreateKeyring(config.audit.keyFile, () => repo.nextSeq(), clock.now()),
      inject: [AuditRepository, MANAGER_CONFIG, Clock],
    },
  ],
  exports: [AuditService],
})
export class AuditModule {}
