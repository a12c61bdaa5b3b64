import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AlertsModule } from '../alerts/alerts.module';
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
import { PolicyRolloutController } from './rollout/policy-rollout.controller';
import { PolicyRolloutRepository } from './rollout/policy-rollout.repository';
import { PolicyRolloutService } from './rollout/policy-rollout.service';
import { PolicyTiersJob } from './threat-tiers/policy-tiers.job';
import { ThreatSignalsRepository } from './threat-tiers/threat-signals.repository';
import { ThreatTierService } from './threat-tiers/threat-tier.service';
import { UnitTierRepository } from './threat-tiers/unit-tier.repository';

/**
 * Protection policies: versioned tier documents, each agent's assigned tier (pin), the
 * signed delivery down the Session stream (signed by commands/' AgentSigner) and the
 * compliance each agent reports; threat-driven tiers of workstations and units
 * (threat-tiers/) and the staged rollout of each new version (rollout/).
 */
@Module({
  imports: [AuditModule, AgentsModule, AlertsModule, CommandsModule],
  controllers: [PoliciesController, AgentPolicyController, PolicyRolloutController],
  providers: [
    PolicyRepository,
    AgentPolicyRepository,
    PolicyService,
    AgentPolicyService,
    PolicySessionPort,
    DefaultPolicySeeder,
    UnitTierRepository,
    ThreatSignalsRepository,
    ThreatTierService,
    PolicyRolloutRepository,
    PolicyRolloutService,
    PolicyTiersJob,
  ],
  exports: [PolicyService, AgentPolicyService, PolicySessionPort, PolicyTiersJob],
})
export class PoliciesModule {}
