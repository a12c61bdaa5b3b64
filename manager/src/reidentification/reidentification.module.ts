import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { ReidentificationController } from './reidentification.controller';
import { ReidentificationRateLimiter } from './reidentification.rate-limiter';
import { ReidentificationService } from './reidentification.service';
import { SitePseudonyms } from './site-pseudonyms';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { PkiService } from '../pki/pki.service';
import { OprfKey } from '../pseudonym-oracle/oprf-key';
import { PseudonymOracleModule } from '../pseudonym-oracle/pseudonym-oracle.module';

/** The privacy officer's audited, rate-limited match and lookup of pseudonyms (docs/privacy.md). */
@Module({
  imports: [AuditModule, EventsModule, PseudonymOracleModule],
  controllers: [ReidentificationController],
  providers: [
    {
      provide: SitePseudonyms,
      useFactory: (pki: PkiService, oprf: OprfKey, config: ManagerConfig) =>
        new SitePseudonyms(pki, oprf, config.pseudonyms.mode),
      inject: [PkiService, OprfKey, MANAGER_CONFIG],
    },
    ReidentificationRateLimiter,
    ReidentificationService,
  ],
})
export class ReidentificationModule {}
