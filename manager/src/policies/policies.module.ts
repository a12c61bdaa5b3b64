import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { CommandsModule } from '../commands/commands.module';
import { AgentPolicyController } from './agent-policy.controller';
import { AgentPolicyRepository } from './agent-policy.repository';
import { AgentPolicyService } from './agent-policy.service';
import { DefaultPolicySeeder } from './default-policy.seeder';
import { PoliciesController } from './policies.controller';
import { PolicySessionPort } from './policy-session.port';
import { PolicyRepository } from './policy.repository';
import { PolicyService } from './policy.service';

/**
 * Protection policies: versioned tier documents, each agent's assigned tier (pin), the
 * signed delivery down the Session stream (signed by commands/' AgentSigner) and the
 * compliance each agent reports.
 */
@Module({
  imports: [AuditModule, AgentsModule, CommandsModule],
  controllers: [PoliciesController, AgentPolicyController],
  providers: [
    PolicyRepository,
    AgentPolicyRepository,
    PolicyService,
    AgentPolicyService,
    PolicySessionPort,
    DefaultPolicySeeder,
  ],
  exports: [PolicyService, AgentPolicyService, PolicySessionPort],
})
export class PoliciesModule {}
