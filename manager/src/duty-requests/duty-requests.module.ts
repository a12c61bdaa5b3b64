import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DutyRequestExpiryJob } from './duty-request-expiry.job';
import { DutyRequestRepository } from './duty-request.repository';
import { DutyRequestService } from './duty-request.service';

/** The second-person rule (users/ for role grants, reidentification/); routes live with those features. */
@Module({
  imports: [AuditModule],
  providers: [DutyRequestRepository, DutyRequestService, DutyRequestExpiryJob],
  exports: [DutyRequestService, DutyRequestExpiryJob],
})
export class DutyRequestsModule {}
