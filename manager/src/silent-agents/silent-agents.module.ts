import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AlertsModule } from '../alerts/alerts.module';
import { SilentAgentsJob } from './silent-agents.job';
import { SilentAgentsService } from './silent-agents.service';

/** Alerts for enrolled agents the manager has not heard from for too long. */
@Module({
  imports: [AgentsModule, AlertsModule],
  providers: [SilentAgentsService, SilentAgentsJob],
  exports: [SilentAgentsJob],
})
export class SilentAgentsModule {}
