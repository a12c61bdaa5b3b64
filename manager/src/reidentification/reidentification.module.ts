import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DutyRequestsModule } from '../duty-requests/duty-requests.module';
import { EventsModule } from '../events/events.module';
import { QuestionBinding } from './question-binding';
import { ReidentificationRequestsController } from './reidentification-requests.controller';
import { ReidentificationRequestsService } from './reidentification-requests.service';
import { ReidentificationController } from './reidentification.controller';
import { ReidentificationRateLimiter } from './reidentification.rate-limiter';
import { ReidentificationService } from './reidentification.service';
import { SitePseudonyms } from './site-pseudonyms';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { PkiService } from '../pki/pki.service';
import { OprfKey } from '../pseudonym-oracle/oprf-key';
import { PseudonymOracleModule } from '../pseudonym-oracle/pseudonym-oracle.module';

/**
 * The privacy officer's audited, rate-limited match and lookup of pseudonyms, each
 * approved by a second officer first (docs/privacy.md).
 */
@Module({
  imports: [AuditModule, EventsModule, PseudonymOracleModule, DutyRequestsModule],
  controllers: [ReidentificationRequestsController, ReidentificationController],
  providers: [
    {
      provide: SitePseudonyms,
      useFactory: (pki: PkiService, oprf: OprfKey, config: ManagerConfig) =>
        new SitePseudonyms(pki, oprf, config.pseudonyms.mode),
      inject: [PkiService, OprfKey, MANAGER_CONFIG],
    },
    QuestionBinding,
    ReidentificationRateLimiter,
    ReidentificationService,
    ReidentificationRequestsService,
  ],
})
export class ReidentificationModule {}
