import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AlertsModule } from '../alerts/alerts.module';
import { AuditModule } from '../audit/audit.module';
import { StaffRolesModule } from '../staff-roles/staff-roles.module';
import { AutoActionSlotRepository } from './auto-action-slot.repository';
import { DecisionMemory } from './decision-memory';
import { DefaultPlaybooksSeeder } from './default-playbooks.seeder';
import { PlaybookDecisionRepository } from './playbook-decision.repository';
import { PlaybookDecisionService } from './playbook-decision.service';
import { PlaybookRepository } from './playbook.repository';
import { PlaybookService } from './playbook.service';
import { PlaybooksController } from './playbooks.controller';

/**
 * Playbooks: versioned definitions, the defaults, and the decisions taken on each alert.
 * The CommandIssuer (COMMAND_ISSUER), ApprovalRequester (APPROVAL_REQUESTER),
 * and ResponseGuardState (RESPONSE_GUARD_STATE) are not provided here: commands/ and
 * approvals/ provide them, globally, where the app is wired. The caps' slots are its own.
 */
@Module({
  imports: [AuditModule, AgentsModule, AlertsModule, StaffRolesModule],
  controllers: [PlaybooksController],
  providers: [
    PlaybookRepository,
    PlaybookDecisionRepository,
    AutoActionSlotRepository,
    DecisionMemory,
    PlaybookService,
    PlaybookDecisionService,
    DefaultPlaybooksSeeder,
  ],
  exports: [PlaybookService, PlaybookDecisionService],
})
export class PlaybooksModule {}
