import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { CheckpointFile } from '../audit/audit-checkpoint.store';
import { SyslogSender } from '../audit/audit-syslog';
import { AuditVerificationService } from './audit-verification.service';
import { AuditVerifyJob } from './audit-verify.job';
import { AuditController } from './audit.controller';
import { AuditModule } from '../audit/audit.module';

/** Verification of the audit trail on a schedule, its signed checkpoints (file and syslog), and its routes. */
@Module({
  imports: [AuditModule, AlertsModule],
  controllers: [AuditController],
  providers: [
    AuditVerificationService,
    AuditVerifyJob,
    {
      provide: CheckpointFile,
      useFactory: (config: Pick<ManagerConfig, 'audit'>) => new CheckpointFile(config.audit.checkpointFile),
      inject: [MANAGER_CONFIG],
    },
    {
      provide: SyslogSender,
      useFactory: (config: Pick<ManagerConfig, 'audit'>) => new SyslogSender(config.audit.syslog),
      inject: [MANAGER_CONFIG],
    },
  ],
  exports: [AuditVerifyJob, AuditVerificationService],
})
export class AuditVerificationModule {}
