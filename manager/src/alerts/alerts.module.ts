import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { EventsModule } from '../events/events.module';
import { AlertCommentRepository } from './alert-comment.repository';
import { AlertDetailService } from './alert-detail.service';
import { AlertTriageController } from './alert-triage.controller';
import { AlertTriageService } from './alert-triage.service';
import { AlertPurgeService } from './alert-purge.service';
import { AlertRepository } from './alert.repository';
import { AlertService } from './alert.service';
import { AlertsController } from './alerts.controller';
import { RiskScoreRepository } from './risk-score.repository';
import { ScoreIngestService } from './score-ingest.service';
import { ScoreQueryService } from './score-query.service';
import { ScoresController } from './scores.controller';

/**
 * Alerts (from single events and from agents' risk scores), the risk scores themselves,
 * and the analysts' triage of alerts (detail, workflow, comments).
 */
@Module({
  imports: [AuditModule, AuthModule, EventsModule],
  controllers: [AlertsController, AlertTriageController, ScoresController],
  providers: [
    AlertRepository,
    AlertCommentRepository,
    AlertTriageService,
    AlertDetailService,
    RiskScoreRepository,
    AlertService,
    ScoreIngestService,
    ScoreQueryService,
    AlertPurgeService,
  ],
  exports: [AlertService, ScoreIngestService, AlertPurgeService, AlertDetailService],
})
export class AlertsModule {}
