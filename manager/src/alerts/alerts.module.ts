import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AlertPurgeService } from './alert-purge.service';
import { AlertRepository } from './alert.repository';
import { AlertService } from './alert.service';
import { AlertsController } from './alerts.controller';
import { RiskScoreRepository } from './risk-score.repository';
import { ScoreIngestService } from './score-ingest.service';
import { ScoreQueryService } from './score-query.service';
import { ScoresController } from './scores.controller';

/** Alerts (from single events and from agents' risk scores) and the risk scores themselves. */
@Module({
  imports: [AuditModule],
  controllers: [AlertsController, ScoresController],
  providers: [
    AlertRepository,
    RiskScoreRepository,
    AlertService,
    ScoreIngestService,
    ScoreQueryService,
    AlertPurgeService,
  ],
  exports: [AlertService, ScoreIngestService, AlertPurgeService],
})
export class AlertsModule {}
