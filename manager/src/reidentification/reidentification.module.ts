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

/**
 * The privacy officer's audited, rate-limited match and lookup of pseudonyms, each
 * approved by a second officer first (docs/privacy.md).
 */
@Module({
  imports: [AuditModule, EventsModule, DutyRequestsModule],
  controllers: [ReidentificationRequestsController, ReidentificationController],
  providers: [
    SitePseudonyms,
    QuestionBinding,
    ReidentificationRateLimiter,
    ReidentificationService,
    ReidentificationRequestsService,
  ],
})
export class ReidentificationModule {}
