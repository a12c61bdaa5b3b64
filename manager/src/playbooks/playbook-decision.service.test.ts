import type { PlaybookDefinitionInput } from '@wardwatch/shared';
import { PlaybookDefinition } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { AgentSessionsRegistry } from '../agents/agent-sessions.registry';
import type { AgentEntity } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import type { AlertEntity } from '../alerts/alert.entity';
import { AlertService } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import type { TransactionRunner } from '../database/transaction.runner';
import { InMemoryAgentRepository } from '../testing/fakes/agent.repository.fake';
import { InMemoryAlertRepository, NO_TRIAGE } from '../testing/fakes/alert.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { InMemoryPlaybookDecisionRepository } from '../testing/fakes/playbook-decision.repository.fake';
import { InMemoryPlaybookRepository } from '../testing/fakes/playbook.repository.fake';
import { InMemoryStaffRoleRepository } from '../testing/fakes/staff-role.repository.fake';
import { StaffRoleService } from '../staff-roles/staff-role.service';
import {
  FakeResponseGuardState,
  InMemoryAutoActionSlots,
  RecordingApprovalRequester,
  RecordingCommandIssuer,
} from '../testing/fakes/response-seams.fake';
import { DecisionMemory } from './decision-memory';
import { PlaybookDecisionService } from './playbook-decision.service';
import { PlaybookService } from './playbook.service';

const NOON_UTC = Date.UTC(2026, 11, 2, 12, 0);

function sut(settings: { perMinute?: number; perUnit?: number; bulk?: number } = {}) {
  const agents = new InMemoryAgentRepository();
  const alerts = new InMemoryAlertRepository();
  const auditRows = new InMemoryAuditRepository();
  const playbookRows = new InMemoryPlaybookRepository();
  const staffRoleRows = new InMemoryStaffRoleRepository();
  const transactions = fake<TransactionRunner>(
    new FakeTransactionRunner([agents, alerts, auditRows, playbookRows, staffRoleRows]),
  );
  const clock = new FakeClock(NOON_UTC);
  const random = new FakeRandom();
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const alertService = new AlertService(fake(alerts), audit, clock, random);
  const playbooks = new PlaybookService(fake(playbookRows), transactions, audit, clock, random);
  const staffRoles = new StaffRoleService(fake(staffRoleRows), transactions, audit, clock);
  const issuer = new RecordingCommandIssuer(() => clock.now());
  const decisionRows = new InMemoryPlaybookDecisionRepository();
  const approvals = new RecordingApprovalRequester();
  const guard = new FakeResponseGuardState();
  const service = new PlaybookDecisionService(
    playbooks,
    alertService,
    new AgentService(fake(agents), transactions, clock, audit, new AgentSessionsRegistry()),
    staffRoles,
    audit,
    clock,
    {
      playbooks: {
        maxAutoPerMinute: settings.perMinute ?? 20,
        maxAutoPerUnitPerMinute: settings.perUnit ?? 5,
        bulkThreshold: settings.bulk ?? 5,
        siteTimeZone: 'UTC',
      },
    },
    issuer,
    approvals,
    guard,
    fake(new InMemoryAutoActionSlots()),
    new DecisionMemory(fake(decisionRows), clock),
  );
  const addAgent = (id: string, tags: string[] = [], unit: string | null = null) =>
    agents.rows.push({ id, hostname: `host-${id}`, tags, unit } as AgentEntity);
  let n = 0;
  const addAlert = (agentId: string, fields: Partial<AlertEntity> = {}) => {
    const id = `alert-${++n}`;
    alerts.rows.push({
      id,
      agentId,
      kind: 'behaviour',
      createdAt: NOON_UTC,
      severity: 4,
      score: 85,
      title: 't',
      reasons: [],
      status: 'open',
      eventIds: [],
      user: 'u_0000000000000001',
      windowStart: 1,
      windowEnd: 2,
      threshold: 60,
      modelSource: 'fleet',
      reasonDetails: [],
      ruleIds: [],
      updatedAt: null,
      suspects: null,
      identityMismatch: null,
      ...NO_TRIAGE,
      ...fields,
    });
    return id;
  };
  const addPlaybook = (definition: PlaybookDefinitionInput) =>
    playbooks.create(PlaybookDefinition.parse(definition), 'admin');
  const audited = (action: string) => auditRows.rows.filter((r) => r.action === action).map((r) => r.details);
  return {
    service,
    alerts,
    alertService,
    issuer,
    approvals,
    guard,
    clock,
    addAgent,
    addAlert,
    addPlaybook,
    audited,
    playbooks,
    staffRoles,
    decisionRows,
  };
}

const rule = (
  when: PlaybookDefinitionInput['rules'][number]['when'],
  then: PlaybookDefinitionInput['rules'][number]['then'],
) => ({
  name: 'r1',
  description: '',
  enabled: true,
  rules: [{ name: 'rule one', when, then }],
});

describe('PlaybookDecisionService', () => {
  it('issues an automatic action with its decision, and audits the decision', async () => {
    const t = sut();
    t.addAgent('a1');
    const pb = await t.addPlaybook(
      rule({ ruleIds: ['ransomware-burst'] }, [{ kind: 'kill_process_tree', mode: 'automatic', folderClass: 'phi' }]),
    );
    const alertId = t.addAlert('a1', { ruleIds: ['ransomware-burst'], severity: 5, score: 97 });
    const decisions = await t.service.decide(alertId);
    expect(decisions.map((d) => [d.action, d.chosenMode, d.outcome.kind])).toEqual([
      ['kill_process_tree', 'automatic', 'issued'],
    ]);
    expect(t.issuer.issued).toEqual([
      {
        agentId: 'a1',
        action: { $case: 'killProcessTree', value: { pid: 0, startTime: 0, folderClass: 'phi' } },
        reason: 'Security response: WardWatch will stop the processes on this workstation (ransomware-burst).',
        warningSeconds: 0,
        automatic: true,
        dryRun: false,
        expiresInSeconds: 300,
        decision: {
          source: 'playbook',
          playbookId: pb.id,
          playbookVersion: 1,
          alertId,
          score: 97,
          ruleIds: ['ransomware-burst'],
          modelVersion: 'fleet',
        },
      },
    ]);
    expect(t.audited('playbook.decision')).toEqual([
      expect.objectContaining({
        alertId,
        agentId: 'a1',
        playbookId: pb.id,
        playbookVersion: 1,
        action: 'kill_process_tree',
        askedMode: 'automatic',
        chosenMode: 'automatic',
        score: 97,
        ruleIds: ['ransomware-burst'],
        modelVersion: 'fleet',
        outcome: { kind: 'issued', commandId: 'cmd-1', state: 'sent' },
      }),
    ]);
  });

  it('warns 60 s before an automatic lock on a high alert, at once on a critical one', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook(rule({}, [{ kind: 'lock_screen', mode: 'automatic' }]));
    await t.service.decide(t.addAlert('a1', { severity: 4 }));
    await t.service.decide(t.addAlert('a1', { severity: 5 }));
    expect(t.issuer.issued.map((c) => c.warningSeconds)).toEqual([60, 0]);
  });

  it('asks for approval, with two people for an account disable', async () => {
    const t = sut();
    t.addAgent('a1');
    const pb = await t.addPlaybook(
      rule({}, [
        { kind: 'block_removable', mode: 'approve', durationSeconds: 600 },
        { kind: 'disable_account', mode: 'approve' },
      ]),
    );
    const alertId = t.addAlert('a1');
    await t.service.decide(alertId);
    expect(t.issuer.issued).toEqual([]);
    expect(
      t.approvals.proposals.map((p) => [
        p.commands[0].action.$case,
        p.twoPersonReason !== null,
        p.playbookId,
        p.alertId,
      ]),
    ).toEqual([
      ['blockRemovable', false, pb.id, alertId],
      ['disableAccount', true, pb.id, alertId],
    ]);
    expect(t.approvals.proposals[0].commands[0].automatic).toBe(false);
    expect(t.approvals.proposals[0].summary).toContain('host-a1');
    expect(t.audited('playbook.decision').map((d) => d.outcome)).toEqual([
      { kind: 'approval_requested', approvalId: 'approval-1' },
      { kind: 'approval_requested', approvalId: 'approval-2' },
    ]);
  });

  it('notify: an audit row only', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook(rule({ ruleIds: ['brute-force'] }, [{ kind: 'notify', mode: 'notify' }]));
    await t.service.decide(t.addAlert('a1', { ruleIds: ['brute-force'] }));
    expect(t.issuer.issued).toEqual([]);
    expect(t.approvals.proposals).toEqual([]);
    expect(t.audited('playbook.decision')).toEqual([
      expect.objectContaining({ action: 'notify', chosenMode: 'notify', outcome: { kind: 'notified' } }),
    ]);
  });

  it('turns automatic actions over the fleet cap into approval requests, audited as capped', async () => {
    const t = sut({ perMinute: 2 });
    await t.addPlaybook(rule({}, [{ kind: 'block_removable', mode: 'automatic' }]));
    for (const id of ['a1', 'a2', 'a3']) {
      t.addAgent(id);
      await t.service.decide(t.addAlert(id));
    }
    expect(t.issuer.issued.map((c) => c.agentId)).toEqual(['a1', 'a2']);
    expect(t.approvals.proposals.map((p) => p.commands[0].agentId)).toEqual(['a3']);
    expect(t.audited('playbook.capped')).toEqual([
      expect.objectContaining({ cap: 'fleet', agentId: 'a3', action: 'block_removable' }),
    ]);
    expect(t.audited('playbook.decision').map((d) => [d.askedMode, d.chosenMode, d.cappedBy])).toEqual([
      ['automatic', 'automatic', undefined],
      ['automatic', 'automatic', undefined],
      ['automatic', 'approve', 'fleet'],
    ]);
    t.clock.advance(60_000);
    t.addAgent('a4');
    await t.service.decide(t.addAlert('a4'));
    expect(t.issuer.issued.map((c) => c.agentId)).toEqual(['a1', 'a2', 'a4']);
  });

  it('caps per unit', async () => {
    const t = sut({ perUnit: 1 });
    await t.addPlaybook(rule({}, [{ kind: 'block_removable', mode: 'automatic' }]));
    t.addAgent('a1', [], 'Ward 3');
    t.addAgent('a2', [], 'Ward 3');
    t.addAgent('a3', [], 'ICU');
    for (const id of ['a1', 'a2', 'a3']) await t.service.decide(t.addAlert(id));
    expect(t.issuer.issued.map((c) => c.agentId)).toEqual(['a1', 'a3']);
    expect(t.audited('playbook.capped')).toEqual([expect.objectContaining({ cap: 'unit', unit: 'Ward 3' })]);
  });

  it('never revokes or locks automatically under break-glass or maintenance: asks a person instead', async () => {
    const t = sut();
    await t.addPlaybook(
      rule({}, [
        { kind: 'lock_screen', mode: 'automatic' },
        { kind: 'kill_process_tree', mode: 'automatic' },
      ]),
    );
    t.addAgent('glass');
    t.addAgent('maint');
    t.guard.breakGlass.add('glass');
    t.guard.maintenance.add('maint');
    await t.service.decide(t.addAlert('glass'));
    await t.service.decide(t.addAlert('maint'));
    // The kill is not a session action: it still runs at once.
    expect(t.issuer.issued.map((c) => [c.agentId, c.action.$case])).toEqual([
      ['glass', 'killProcessTree'],
      ['maint', 'killProcessTree'],
    ]);
    expect(t.approvals.proposals.map((p) => [p.commands[0].agentId, p.commands[0].action.$case])).toEqual([
      ['glass', 'lockScreen'],
      ['maint', 'lockScreen'],
    ]);
    expect(t.audited('playbook.capped').map((d) => d.cap)).toEqual(['break_glass', 'maintenance']);
  });

  it('acts on a doubted identity as a site maps it, and the clinical-safety guard still holds', async () => {
    const t = sut();
    // A site that chose an automatic lock for a strong doubt (the default only notifies and asks).
    await t.addPlaybook(rule({ minIdentityMismatch: 0.9 }, [{ kind: 'lock_screen', mode: 'automatic' }]));
    t.addAgent('ward');
    t.addAgent('glass');
    t.guard.breakGlass.add('glass');
    await t.service.decide(t.addAlert('ward', { identityMismatch: 0.5 }));
    await t.service.decide(t.addAlert('ward', { identityMismatch: null }));
    expect(t.issuer.issued).toHaveLength(0);
    await t.service.decide(t.addAlert('ward', { identityMismatch: 0.96 }));
    await t.service.decide(t.addAlert('glass', { identityMismatch: 0.99 }));
    expect(t.issuer.issued.map((c) => [c.agentId, c.action.$case])).toEqual([['ward', 'lockScreen']]);
    expect(t.approvals.proposals.map((p) => [p.commands[0].agentId, p.commands[0].action.$case])).toEqual([
      ['glass', 'lockScreen'],
    ]);
    expect(t.audited('playbook.capped').map((d) => d.cap)).toEqual(['break_glass']);
  });

  it('matches on the workstation tags and unit', async () => {
    const t = sut();
    await t.addPlaybook(
      rule({ tagsAnyOf: ['shared-clinical'], units: ['Ward 3'] }, [
        { kind: 'lock_screen', mode: 'approve', warningSeconds: 60 },
      ]),
    );
    t.addAgent('clinical', ['shared-clinical'], 'Ward 3');
    t.addAgent('office', ['admin-office'], 'Ward 3');
    await t.service.decide(t.addAlert('clinical'));
    await t.service.decide(t.addAlert('office'));
    expect(t.approvals.proposals.map((p) => [p.commands[0].agentId, p.commands[0].warningSeconds])).toEqual([
      ['clinical', 60],
    ]);
  });

  it('matches on the role on record for the alert’s user; a user with none, or no user, never matches', async () => {
    const t = sut();
    await t.addPlaybook(
      rule({ userRolesAnyOf: ['pharmacist', 'physician'] }, [{ kind: 'collect_diagnostics', mode: 'approve' }]),
    );
    t.addAgent('a1');
    await t.staffRoles.set('u_00000000000000aa', 'pharmacist', 'admin');
    await t.staffRoles.set('u_00000000000000bb', 'nurse', 'admin');
    const pharmacist = t.addAlert('a1', { user: 'u_00000000000000aa' });
    await t.service.decide(pharmacist);
    await t.service.decide(t.addAlert('a1', { user: 'u_00000000000000bb' }));
    await t.service.decide(t.addAlert('a1', { user: 'u_00000000000000cc' }));
    await t.service.decide(t.addAlert('a1', { user: null }));
    expect(t.approvals.proposals.map((p) => p.alertId)).toEqual([pharmacist]);
  });

  it('decides each action kind once per alert, even when the alert grows', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook(rule({}, [{ kind: 'block_removable', mode: 'automatic' }]));
    const alertId = t.addAlert('a1');
    await Promise.all([t.service.decide(alertId), t.service.decide(alertId)]);
    await t.service.decide(alertId);
    expect(t.issuer.issued).toHaveLength(1);
  });

  it('kills the suspect the agent ranked first, and decides again when a new burst names another', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook(
      rule({ ruleIds: ['ransomware-burst'] }, [{ kind: 'kill_process_tree', mode: 'automatic', folderClass: 'phi' }]),
    );
    const first = [
      { pid: 4242, startTime: 900 },
      { pid: 4300, startTime: 950 },
    ];
    const alertId = t.addAlert('a1', { ruleIds: ['ransomware-burst'], severity: 5, score: 97, suspects: first });
    await t.service.decide(alertId);
    await t.service.decide(alertId); // the same burst again: nothing new
    const row = t.alerts.rows.find((a) => a.id === alertId)!;
    row.suspects = [{ pid: 5100, startTime: 1200 }]; // a later score of the window: a new process at work
    await t.service.decide(alertId);
    expect(t.issuer.issued.map((c) => c.action)).toEqual([
      { $case: 'killProcessTree', value: { pid: 4242, startTime: 900, folderClass: '' } },
      { $case: 'killProcessTree', value: { pid: 5100, startTime: 1200, folderClass: '' } },
    ]);
  });

  it('audits a failed issue instead of dropping it', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook(rule({}, [{ kind: 'block_removable', mode: 'automatic' }]));
    t.issuer.failWith = new Error('response commands not available in this build');
    await t.service.decide(t.addAlert('a1'));
    expect(t.audited('playbook.decision')).toEqual([
      expect.objectContaining({
        outcome: { kind: 'failed', reason: 'response commands not available in this build' },
      }),
    ]);
  });

  it('skips a revoke when the alert names no user, audited', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook(rule({}, [{ kind: 'revoke_session', mode: 'automatic' }]));
    await t.service.decide(t.addAlert('a1', { user: null, kind: 'agent_silent' }));
    expect(t.issuer.issued).toEqual([]);
    expect(t.audited('playbook.decision').map((d) => (d.outcome as { kind: string }).kind)).toEqual(['skipped']);
  });

  it('hears alerts announced after commit and decides on its own', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook(rule({}, [{ kind: 'block_removable', mode: 'automatic' }]));
    t.service.onApplicationBootstrap();
    const alertId = t.addAlert('a1');
    t.alertService.announce([{ alertId, agentId: 'a1', raised: true }]);
    await t.service.settled();
    expect(t.issuer.issued.map((c) => c.decision.alertId)).toEqual([alertId]);
    await t.service.beforeApplicationShutdown();
    t.alertService.announce([{ alertId: t.addAlert('a1'), agentId: 'a1', raised: true }]);
    await t.service.settled();
    expect(t.issuer.issued).toHaveLength(1);
  });

  it('does nothing for disabled playbooks', async () => {
    const t = sut();
    t.addAgent('a1');
    await t.addPlaybook({ ...rule({}, [{ kind: 'block_removable', mode: 'automatic' }]), enabled: false });
    expect(await t.service.decide(t.addAlert('a1'))).toEqual([]);
    expect(t.audited('playbook.decision')).toEqual([]);
  });
});
