import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AlertsModule } from '../alerts/alerts.module';
import { BlindAgentsJob } from './blind-agents.job';
import { BlindAgentsService } from './blind-agents.service';

/** Alerts for agents heard from whose audit of patient data failed. */
@Module({
  imports: [AgentsModule, AlertsModule],
  providers: [BlindAgentsService, BlindAgentsJob],
  exports: [BlindAgentsJob],
})
export class BlindAgentsModule {}
