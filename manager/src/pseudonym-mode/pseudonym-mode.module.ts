import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger } from '../logging/json-logger';
import { resolveSitePseudonymMode, SitePseudonymMode } from './site-pseudonym-mode';
import { SiteSettingRepository } from './site-setting.repository';

/**
 * The site's pseudonym mode, resolved while the application is built: before the gRPC port
 * opens, so no agent enrols before it is known. A second manager that then fails on a port
 * has recorded nothing the first one would not have.
 */
@Module({
  imports: [AuditModule],
  providers: [
    SiteSettingRepository,
    {
      provide: SitePseudonymMode,
      useFactory: (
        config: ManagerConfig,
        settings: SiteSettingRepository,
        transactions: TransactionRunner,
        audit: AuditService,
        clock: Clock,
        logger: JsonLogger,
      ) => resolveSitePseudonymMode({ config, settings, transactions, audit, clock, log: logger.child('pseudonyms') }),
      inject: [MANAGER_CONFIG, SiteSettingRepository, TransactionRunner, AuditService, Clock, JsonLogger],
    },
  ],
  exports: [SitePseudonymMode],
})
export class PseudonymModeModule {}
