import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { ReidentificationController } from './reidentification.controller';
import { ReidentificationRateLimiter } from './reidentification.rate-limiter';
import { ReidentificationService } from './reidentification.service';
import { SitePseudonyms } from './site-pseudonyms';

/** The privacy officer's audited, rate-limited match and lookup of pseudonyms (docs/privacy.md). */
@Module({
  imports: [AuditModule, EventsModule],
  controllers: [ReidentificationController],
  providers: [SitePseudonyms, ReidentificationRateLimiter, ReidentificationService],
})
export class ReidentificationModule {}
