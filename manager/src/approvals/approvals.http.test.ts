// The approvals routes over real HTTP: a whole manager on 127.0.0.1:0 with its SQLite
// database and a recording command issuer. Proposals are queued through the manager's
// own APPROVAL_REQUESTER (as playbooks/ will), people decide through the API.
import { ApprovalDetail, ApprovalPage, ApprovalView, CreatedUser } from '@wardwatch/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService } from '../alerts/alert.service';
import { TransactionRunner } from '../database/transaction.runner';
import { RecordingCommandIssuer } from '../testing/fakes/recording-command-issuer.fake';
import { TEST_ADMIN_PASSWORD, startTestManager, type TestManager } from '../testing/test-manager.fixture';
import { ApprovalExpiryJob } from './approval-expiry.job';
import { APPROVAL_REQUESTER, type ApprovalProposal, type ApprovalRequester } from './approval-request';

describe('approvals API', () => {
  let manager: TestManager;
  const issuer = new RecordingCommandIssuer();
  const cookies: Record<string, string> = {};
  let alertId = '';

  const call = (who: string | undefined, path: string, body?: unknown) =>
    fetch(`${manager.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(who ? { cookie: cookies[who] } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const signIn = async (username: string, password: string) => {
    const response = await call(undefined, '/api/v1/auth/login', { username, password });
    cookies[username] = (response.headers.get('set-cookie') ?? '').split(';')[0];
  };
  const addUser = async (username: string, role: string) => {
    const created = CreatedUser.parse(await (await call('admin', '/api/v1/users', { username, role })).json());
    await signIn(username, created.oneTimePassword);
    const password = `${username}-passphrase-2026`;
    await call(username, '/api/v1/auth/password', { currentPassword: created.oneTimePassword, newPassword: password });
    await signIn(username, password);
  };
  const propose = (overrides: Partial<ApprovalProposal> = {}) =>
    manager.app.get<ApprovalRequester>(APPROVAL_REQUESTER).request({
      summary: 'Block removable media on ward3-ws12 and ward3-ws14',
      commands: ['agent-1', 'agent-2'].map((agentId) => ({
        agentId,
        action: { $case: 'blockRemovable', value: { durationSeconds: 3_600 } },
        reason: 'patient files copied to removable media',
        warningSeconds: 0,
        automatic: true,
        dryRun: false,
        expiresInSeconds: 600,
        decision: { source: 'playbook', playbookId: 'usb-exfiltration', playbookVersion: 1, score: 88 },
      })),
      alertId,
      playbookId: 'usb-exfiltration',
      playbookVersion: 1,
      expiresInSeconds: 900,
      twoPersonReason: null,
      ...overrides,
    });

  beforeAll(async () => {
    manager = await startTestManager({ commandIssuer: issuer });
    await signIn('admin', TEST_ADMIN_PASSWORD);
    await addUser('ana.lyst', 'analyst');
    await addUser('bob.lyst', 'analyst');
    await addUser('olivia.officer', 'privacy_officer');
    await manager.app.get(TransactionRunner).run(async (tx) => {
      const alerts = manager.app.get(AlertService);
      await alerts.raise(
        [
          {
            agentId: 'agent-1',
            severity: 5,
            score: 88,
            title: 'Files copied to USB',
            reasons: ['<img src=x> 412 files copied to removable media'],
            eventIds: ['ev-1'],
          },
        ],
        tx,
      );
      alertId = (await alerts.page(1)).items[0].id;
    });
  }, 60_000);
  afterAll(async () => manager?.stop());

  it('lists pending proposals and shows one with its alert', async () => {
    const { approvalId } = await propose();
    expect((await call(undefined, '/api/v1/approvals')).status).toBe(401);
    const page = ApprovalPage.parse(await (await call('olivia.officer', '/api/v1/approvals?state=pending')).json());
    expect(page.items.map((a) => a.id)).toContain(approvalId);
    const detail = ApprovalDetail.parse(await (await call('ana.lyst', `/api/v1/approvals/${approvalId}`)).json());
    expect(detail).toMatchObject({
      state: 'pending',
      approvalsRequired: 1,
      targets: [{ agentId: 'agent-1', action: 'blockRemovable' }, { agentId: 'agent-2' }],
      alert: { id: alertId, score: 88, severity: 'critical', eventIds: ['ev-1'] },
    });
    expect(detail.alert?.reasons[0]).toContain('<img src=x>');
    expect((await call('ana.lyst', '/api/v1/approvals/nope')).status).toBe(404);
    expect((await call('ana.lyst', '/api/v1/approvals?state=maybe')).status).toBe(400);
    const decided = ApprovalPage.parse(await (await call('ana.lyst', '/api/v1/approvals?state=decided')).json());
    expect(decided.items.map((a) => a.id)).not.toContain(approvalId);
    expect((await call('ana.lyst', '/api/v1/approvals?cursor=bad')).status).toBe(400);
  });

  it('refuses a role without response:approve (403) and lets an analyst approve: the commands are issued', async () => {
    const { approvalId } = await propose();
    expect((await call('olivia.officer', `/api/v1/approvals/${approvalId}/approve`, {})).status).toBe(403);
    const before = issuer.issued.length;
    const response = await call('ana.lyst', `/api/v1/approvals/${approvalId}/approve`, { comment: 'seen the alert' });
    expect(response.status).toBe(200);
    const view = ApprovalView.parse(await response.json());
    expect(view).toMatchObject({ state: 'approved', issueState: 'issued', approvals: [{ by: 'ana.lyst' }] });
    const sent = issuer.issued.slice(before);
    expect(sent.map((c) => [c.agentId, c.decision.source, c.decision.actorId])).toEqual([
      ['agent-1', 'approval', 'ana.lyst'],
      ['agent-2', 'approval', 'ana.lyst'],
    ]);
    expect(view.commandIds).toEqual(sent.map((c) => c.commandId));
    const again = await call('bob.lyst', `/api/v1/approvals/${approvalId}/approve`, {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ message: 'this proposal was already approved by ana.lyst' });
  });

  it('needs two different people for a two-person proposal, never the requester', async () => {
    const { approvalId } = await propose({ twoPersonReason: 'bulk action on 2 workstations', requestedBy: 'admin' });
    const approve = (who: string) => call(who, `/api/v1/approvals/${approvalId}/approve`, { comment: '' });
    expect((await approve('admin')).status).toBe(409);
    const first = ApprovalView.parse(await (await approve('ana.lyst')).json());
    expect(first).toMatchObject({ state: 'pending', approvals: [{ by: 'ana.lyst' }], approvalsRequired: 2 });
    const twice = await approve('ana.lyst');
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as { message: string }).message).toMatch(/second, different person/);
    const before = issuer.issued.length;
    const second = ApprovalView.parse(await (await approve('bob.lyst')).json());
    expect(second).toMatchObject({ state: 'approved', issueState: 'issued' });
    expect(issuer.issued.slice(before).map((c) => c.decision.actorId)).toEqual(['bob.lyst', 'bob.lyst']);
    const audit = (await (await call('admin', '/api/v1/audit?limit=20')).json()) as {
      items: { action: string; target: string; details: Record<string, unknown> }[];
    };
    const approved = audit.items.find((r) => r.action === 'approval.approved' && r.target === approvalId);
    expect(approved?.details).toMatchObject({ approvers: ['ana.lyst', 'bob.lyst'], commandIds: second.commandIds });
  });

  it('needs a comment to reject, and refuses deciding a rejected or expired proposal (409)', async () => {
    const { approvalId } = await propose();
    expect((await call('ana.lyst', `/api/v1/approvals/${approvalId}/reject`, {})).status).toBe(400);
    expect((await call('ana.lyst', `/api/v1/approvals/${approvalId}/reject`, { comment: '  ' })).status).toBe(400);
    const rejected = await call('ana.lyst', `/api/v1/approvals/${approvalId}/reject`, { comment: 'ward manager' });
    expect(ApprovalView.parse(await rejected.json())).toMatchObject({
      state: 'rejected',
      rejection: { by: 'ana.lyst' },
    });
    expect((await call('bob.lyst', `/api/v1/approvals/${approvalId}/approve`, {})).status).toBe(409);

    const lapsing = await propose({ expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await manager.app.get(ApprovalExpiryJob).tick();
    const detail = ApprovalDetail.parse(
      await (await call('ana.lyst', `/api/v1/approvals/${lapsing.approvalId}`)).json(),
    );
    expect(detail.state).toBe('expired');
    const late = await call('ana.lyst', `/api/v1/approvals/${lapsing.approvalId}/approve`, {});
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ message: expect.stringMatching(/expired/) as string });
  });
});
