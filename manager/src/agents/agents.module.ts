import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AgentSessionsRegistry } from './agent-sessions.registry';
import { AgentRepository } from './agent.repository';
import { AgentService } from './agent.service';
import { AgentsController } from './agents.controller';

/** The agent register (online/offline/revoked, last seen, stats) and the live-stream registry. */
@Module({
  imports: [AuditModule],
  controllers: [AgentsController],
  providers: [AgentRepository, AgentService, AgentSessionsRegistry],
  exports: [AgentService, AgentSessionsRegistry],
})
export class AgentsModule {}
