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
import { PkiService } from '../pki/pki.service';
import { OprfKey } from '../pseudonym-oracle/oprf-key';
import { PseudonymOracleModule } from '../pseudonym-oracle/pseudonym-oracle.module';
import { PseudonymModeModule } from '../pseudonym-mode/pseudonym-mode.module';
import { SitePseudonymMode } from '../pseudonym-mode/site-pseudonym-mode';

/**
 * The privacy officer's audited, rate-limited match and lookup of pseudonyms, each
 * approved by a second officer first (docs/privacy.md).
 */
@Module({
  imports: [AuditModule, EventsModule, PseudonymOracleModule, PseudonymModeModule, DutyRequestsModule],
  controllers: [ReidentificationRequestsController, ReidentificationController],
  providers: [
    {
      provide: SitePseudonyms,
      useFactory: (pki: PkiService, oprf: OprfKey, site: SitePseudonymMode) => new SitePseudonyms(pki, oprf, site.mode),
      inject: [PkiService, OprfKey, SitePseudonymMode],
    },
    QuestionBinding,
    ReidentificationRateLimiter,
    ReidentificationService,
    ReidentificationRequestsService,
  ],
})
export class ReidentificationModule {}
