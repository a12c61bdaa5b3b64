import { describe, expect, it } from 'vitest';
import { AlertService } from '../alerts/alert.service';
import { AuditService } from '../audit/audit.service';
import type { CommandIssuer, IssueCommandRequest } from '../commands/command-issuer';
import type { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger, type LogFields } from '../logging/json-logger';
import { InMemoryAlertRepository, NO_TRIAGE } from '../testing/fakes/alert.repository.fake';
import { InMemoryApprovalRepository } from '../testing/fakes/approval.repository.fake';
import { InMemoryAuditRepository, testAuditKeyring } from '../testing/fakes/audit.repository.fake';
import { fake, FakeClock, FakeRandom, FakeTransactionRunner } from '../testing/fakes/fakes';
import { RecordingCommandIssuer } from '../testing/fakes/recording-command-issuer.fake';
import type { ApprovalProposal } from './approval-request';
import { ApprovalService } from './approval.service';

const command = (agentId: string): IssueCommandRequest => ({
  agentId,
  action: { $case: 'blockRemovable', value: { durationSeconds: 3_600 } },
  reason: 'copying patient files to a USB stick',
  warningSeconds: 0,
  automatic: true,
  dryRun: false,
  expiresInSeconds: 600,
  decision: { source: 'playbook', playbookId: 'usb-exfiltration', playbookVersion: 3, score: 91, ruleIds: ['usb'] },
});

const proposal = (overrides: Partial<ApprovalProposal> = {}): ApprovalProposal => ({
  summary: 'Block removable media on ward3-ws12',
  commands: [command('agent-1')],
  alertId: 'alert-1',
  playbookId: 'usb-exfiltration',
  playbookVersion: 3,
  expiresInSeconds: 900,
  twoPersonReason: null,
  ...overrides,
});

function sut(issuer: CommandIssuer & Partial<RecordingCommandIssuer> = new RecordingCommandIssuer()) {
  const repo = new InMemoryApprovalRepository();
  const alerts = new InMemoryAlertRepository();
  const auditRows = new InMemoryAuditRepository();
  const transactions = fake<TransactionRunner>(new FakeTransactionRunner([repo, auditRows]));
  const clock = new FakeClock(1_000_000);
  const random = new FakeRandom();
  const logs: LogFields[] = [];
  const audit = new AuditService(fake(auditRows), transactions, clock, testAuditKeyring());
  const service = new ApprovalService(
    fake(repo),
    new AlertService(fake(alerts), audit, clock, random),
    transactions,
    audit,
    clock,
    random,
    issuer,
    new JsonLogger('debug', { write: (line) => logs.push(JSON.parse(line) as LogFields) }),
  );
  const audited = (action: string) => auditRows.rows.filter((r) => r.action === action);
  return { service, repo, alerts, auditRows, audited, clock, issuer: issuer as RecordingCommandIssuer, logs };
}

describe('ApprovalService', () => {
  it('queues a proposal as pending, audited approval.requested', async () => {
    const { service, repo, audited } = sut();
    const { approvalId } = await service.request(proposal());
    expect(repo.rows).toHaveLength(1);
    expect(repo.rows[0]).toMatchObject({ id: approvalId, state: 'pending', expiresAt: 1_000_000 + 900_000 });
    expect(audited('approval.requested')).toMatchObject([
      {
        actor: 'playbook:usb-exfiltration',
        target: approvalId,
        details: { agents: ['agent-1'], alertId: 'alert-1', playbookVersion: 3, score: 91, ruleIds: ['usb'] },
      },
    ]);
  });

  it('refuses a malformed proposal and stores nothing', async () => {
    const { service, repo } = sut();
    await expect(service.request(proposal({ commands: [] }))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(service.request(proposal({ expiresInSeconds: 0 }))).rejects.toMatchObject({ code: 'invalid_input' });
    expect(repo.rows).toHaveLength(0);
  });

  it('issues every command on the one approval a single-person proposal needs', async () => {
    const { service, issuer, audited } = sut();
    const { approvalId } = await service.request(proposal({ commands: [command('agent-1'), command('agent-2')] }));
    const view = await service.approve(approvalId, 'ana', 'confirmed with the ward');
    expect(view).toMatchObject({ state: 'approved', issueState: 'issued', commandIds: ['cmd-1', 'cmd-2'] });
    expect(issuer.issued.map((c) => [c.agentId, c.decision.source, c.decision.actorId, c.automatic])).toEqual([
      ['agent-1', 'approval', 'ana', false],
      ['agent-2', 'approval', 'ana', false],
    ]);
    expect(issuer.issued[0].decision).toMatchObject({ playbookId: 'usb-exfiltration', alertId: 'alert-1', score: 91 });
    expect(audited('approval.approved')).toMatchObject([
      { actor: 'ana', details: { approvers: ['ana'], commandIds: ['cmd-1', 'cmd-2'] } },
    ]);
  });

  it('needs two different people for a two-person proposal, and issues as the second', async () => {
    const { service, issuer, audited } = sut();
    const { approvalId } = await service.request(proposal({ twoPersonReason: 'bulk action on 12 workstations' }));
    const first = await service.approve(approvalId, 'ana', '');
    expect(first).toMatchObject({ state: 'pending', approvalsRequired: 2, approvals: [{ by: 'ana' }] });
    expect(issuer.issued).toHaveLength(0);
    await expect(service.approve(approvalId, 'ana', 'again')).rejects.toMatchObject({
      code: 'not_allowed_approver',
      status: 'conflict',
      message: expect.stringMatching(/already approved.*second, different person/) as string,
    });
    const second = await service.approve(approvalId, 'bob', 'ok');
    expect(second).toMatchObject({ state: 'approved', issueState: 'issued', commandIds: ['cmd-1'] });
    expect(issuer.issued[0].decision.actorId).toBe('bob');
    expect(audited('approval.approve').map((r) => r.details)).toMatchObject([
      { approval: 1, of: 2, final: false },
      { approval: 2, of: 2, final: true },
    ]);
    expect(audited('approval.approved')[0].details).toMatchObject({ approvers: ['ana', 'bob'], commandIds: ['cmd-1'] });
  });

  it('refuses the requester as an approver of a two-person proposal, not of a single-person one', async () => {
    const { service } = sut();
    const two = await service.request(proposal({ twoPersonReason: 'account disable', requestedBy: 'carl' }));
    await expect(service.approve(two.approvalId, 'carl', '')).rejects.toMatchObject({
      code: 'not_allowed_approver',
      message: expect.stringMatching(/you requested this action/) as string,
    });
    const one = await service.request(proposal({ requestedBy: 'carl' }));
    expect(await service.approve(one.approvalId, 'carl', '')).toMatchObject({ state: 'approved' });
  });

  it('refuses deciding again once decided (409), and issues nothing twice', async () => {
    const { service, issuer } = sut();
    const { approvalId } = await service.request(proposal());
    await service.approve(approvalId, 'ana', '');
    await expect(service.approve(approvalId, 'bob', '')).rejects.toMatchObject({
      code: 'already_decided',
      status: 'conflict',
      message: 'this proposal was already approved by ana',
    });
    await expect(service.reject(approvalId, 'bob', 'no')).rejects.toMatchObject({ code: 'already_decided' });
    expect(issuer.issued).toHaveLength(1);
  });

  it('needs a comment to reject, and then issues nothing', async () => {
    const { service, issuer, audited, repo } = sut();
    const { approvalId } = await service.request(proposal());
    await expect(service.reject(approvalId, 'ana', '   ')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(repo.rows[0].state).toBe('pending');
    const view = await service.reject(approvalId, 'ana', 'the user is the ward manager, copying rotas');
    expect(view).toMatchObject({ state: 'rejected', rejection: { by: 'ana' } });
    expect(audited('approval.rejected')).toMatchObject([
      { actor: 'ana', details: { comment: expect.any(String) as string } },
    ]);
    await expect(service.approve(approvalId, 'bob', '')).rejects.toMatchObject({ code: 'already_decided' });
    expect(issuer.issued).toHaveLength(0);
  });

  it('expires pending proposals past their expiry, audited, and refuses deciding them (409)', async () => {
    const { service, clock, audited, issuer } = sut();
    const soon = await service.request(proposal({ expiresInSeconds: 60 }));
    const later = await service.request(proposal({ expiresInSeconds: 600 }));
    clock.advance(60_000);
    // Past its expiry but not yet marked: already refused.
    await expect(service.approve(soon.approvalId, 'ana', '')).rejects.toMatchObject({ code: 'expired' });
    expect(await service.expireDue()).toBe(1);
    expect(await service.expireDue()).toBe(0);
    expect(audited('approval.expired').map((r) => r.target)).toEqual([soon.approvalId]);
    await expect(service.reject(soon.approvalId, 'ana', 'late')).rejects.toMatchObject({
      code: 'expired',
      status: 'conflict',
    });
    expect((await service.detail(later.approvalId)).state).toBe('pending');
    expect(issuer.issued).toHaveLength(0);
  });

  it('records a failure to issue: issued ids kept, the error visible and audited', async () => {
    const { service, issuer, audited } = sut();
    issuer.refuseAgent = 'agent-2';
    const { approvalId } = await service.request(
      proposal({ commands: [command('agent-1'), command('agent-2'), command('agent-3')] }),
    );
    const view = await service.approve(approvalId, 'ana', '');
    expect(view).toMatchObject({
      state: 'approved',
      issueState: 'failed',
      commandIds: ['cmd-1'],
      issueError: 'agent agent-2 refused',
    });
    expect(audited('approval.issue_failed')).toMatchObject([
      { details: { approvers: ['ana'], commandIds: ['cmd-1'], failedAgentId: 'agent-2' } },
    ]);
    expect(audited('approval.approved')).toHaveLength(0);
  });

  it('pages by state with the common cursor, and shows the alert behind a proposal', async () => {
    const { service, alerts, clock } = sut();
    alerts.rows.push({
      ...NO_TRIAGE,
      suspects: null,
      identityMismatch: null,
      id: 'alert-1',
      agentId: 'agent-1',
      createdAt: 1,
      severity: 5,
      score: 92,
      title: 'Files copied to USB',
      reasons: ['412 files copied to removable media (usually 0)'],
      status: 'open',
      kind: 'behaviour',
      eventIds: ['e1', 'e2'],
      user: 'u_1',
      windowStart: 0,
      windowEnd: 1,
      threshold: 60,
      modelSource: 'own',
      reasonDetails: null,
      ruleIds: ['usb'],
      updatedAt: null,
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await service.request(proposal())).approvalId);
      clock.advance(1);
    }
    await service.reject(ids[0], 'ana', 'no');
    const first = await service.page({ state: 'pending', limit: 1 });
    expect(first.items.map((a) => a.id)).toEqual([ids[2]]);
    const second = await service.page({ state: 'pending', limit: 1, cursor: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[1] })] });
    await expect(service.page({ limit: 1, cursor: 'nope' })).rejects.toMatchObject({ status: 'bad_request' });
    await service.approve(ids[1], 'ana', '');
    const decided = await service.page({ state: 'decided', limit: 1 });
    expect(decided.items.map((a) => [a.id, a.state])).toEqual([[ids[1], 'approved']]);
    const more = await service.page({ state: 'decided', limit: 1, cursor: decided.nextCursor });
    expect(more).toEqual({ items: [expect.objectContaining({ id: ids[0], state: 'rejected' })] });
    const detail = await service.detail(ids[1]);
    expect(detail.alert).toMatchObject({ score: 92, severity: 'critical', eventIds: ['e1', 'e2'], ruleIds: ['usb'] });
    expect(detail.targets).toEqual([{ agentId: 'agent-1', action: 'blockRemovable', dryRun: false }]);
    await expect(service.detail('missing')).rejects.toMatchObject({ code: 'not_found' });
  });
});
