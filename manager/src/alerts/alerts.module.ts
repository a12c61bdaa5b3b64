import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { AgentsModule } from '../agents/agents.module';
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
import { ScoreVerdictRepository } from './verdict-feedback/score-verdict.repository';
import { VerdictFeedbackService } from './verdict-feedback/verdict-feedback.service';

/**
 * Alerts (from single events and from agents' risk scores), the risk scores themselves,
 * the analysts' triage of alerts (detail, workflow, comments), and their verdicts sent back
 * to the agents that scored the alerts' windows (verdict-feedback/).
 */
@Module({
  imports: [AgentsModule, AuditModule, AuthModule, EventsModule],
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
    ScoreVerdictRepository,
    VerdictFeedbackService,
  ],
  exports: [AlertService, ScoreIngestService, AlertPurgeService, AlertDetailService, VerdictFeedbackService],
})
export class AlertsModule {}
