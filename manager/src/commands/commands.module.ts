import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { AgentReportsService } from './agent-reports.service';
import { AgentSigner } from './agent-signer';
import { AgentResponseStateRepository } from './agent-response-state.repository';
import { COMMAND_ISSUER } from './command-issuer';
import { CommandExpiryJob } from './command-expiry.job';
import { CommandKeyRepository } from './command-key.repository';
import { CommandKeySealer, sealerFrom } from './command-key.sealing';
import { CommandKeyStore } from './command-key.store';
import { CommandKeysController } from './command-keys.controller';
import { CommandKeysService } from './command-keys.service';
import { CommandRefusals } from './command-refusals';
import { CommandSessionPort } from './command-session.port';
import { CommandRepository } from './command.repository';
import { CommandsController } from './commands.controller';
import { CommandsService } from './commands.service';

/**
 * Response commands: signed with the manager's command key, queued for offline agents,
 * delivered down the Session stream, their results and the agents' local actions recorded.
 * Deciders (playbooks/, approvals/) inject COMMAND_ISSUER; playbooks read AgentReportsService
 * (isUnderBreakGlass / isInMaintenance).
 */
@Module({
  imports: [AuditModule, AgentsModule],
  controllers: [CommandsController, CommandKeysController],
  providers: [
    CommandRepository,
    CommandKeyRepository,
    AgentResponseStateRepository,
    {
      provide: CommandKeySealer,
      useFactory: (config: ManagerConfig) => sealerFrom(config.commands.keySecret, config.dataDir),
      inject: [MANAGER_CONFIG],
    },
    CommandKeyStore,
    AgentSigner,
    CommandRefusals,
    CommandsService,
    AgentReportsService,
    CommandKeysService,
    CommandSessionPort,
    CommandExpiryJob,
    { provide: COMMAND_ISSUER, useExisting: CommandsService },
  ],
  exports: [
    COMMAND_ISSUER,
    AgentSigner,
    CommandsService,
    AgentReportsService,
    CommandKeysService,
    CommandSessionPort,
    CommandExpiryJob,
  ],
})
export class CommandsModule {}
