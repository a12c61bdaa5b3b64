import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { RetentionJob } from './retention.job';
import { RetentionService } from './retention.service';

/** Deleting old events, scores and alerts on a schedule (never the audit log). */
@Module({
  imports: [AuditModule, EventsModule, AlertsModule],
  providers: [RetentionService, RetentionJob],
  exports: [RetentionJob],
})
export class RetentionModule {}
