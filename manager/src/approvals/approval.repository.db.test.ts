// The approvals queue's SQL on SQLite and PostgreSQL: rows and their JSON round-trip,
// the revision-conditional update, paging by state, the expiry lookup, and two people
// deciding the same proposal at once through the real service (one wins, issued once).
import { describe, expect, it } from 'vitest';
import { Clock, RandomSource } from '../common/clock';
import { JsonLogger } from '../logging/json-logger';
import { databaseForTests } from '../testing/engine-database.fixture';
import { RecordingCommandIssuer } from '../testing/fakes/recording-command-issuer.fake';
import { testEngines } from '../testing/test-engines.fixture';
import type { ApprovalEntity } from './approval.entity';
import { ApprovalRepository } from './approval.repository';
import { ApprovalService } from './approval.service';

const row = (id: string, createdAt: number, overrides: Partial<ApprovalEntity> = {}): ApprovalEntity => ({
  id,
  summary: 'Kill the process tree writing encrypted files on ward3-ws12',
  commands: [
    {
      agentId: 'agent-1',
      action: { $case: 'killProcessTree', value: { pid: 4242, startTime: 17, folderClass: 'phi' } },
      reason: 'ransomware-like writes',
      warningSeconds: 0,
      automatic: true,
      dryRun: false,
      expiresInSeconds: 300,
      decision: { source: 'playbook', playbookId: 'ransomware', playbookVersion: 2, score: 97 },
    },
  ],
  alertId: 'alert-1',
  playbookId: 'ransomware',
  playbookVersion: 2,
  createdAt,
  expiresAt: createdAt + 60_000,
  state: 'pending',
  twoPersonReason: null,
  requestedBy: null,
  approvals: [],
  rejection: null,
  revision: 1,
  issueState: 'not_issued',
  commandIds: [],
  issueError: null,
  ...overrides,
});

describe.each(testEngines)('approvals on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('stores a proposal and writes a change only over the revision it was decided on', async () => {
    const repo = new ApprovalRepository(open.db);
    const { transactions } = open.services;
    const stored = row('r1', 1_800_000_000_000, { twoPersonReason: 'account disable' });
    await transactions.run((tx) => repo.insert(stored, tx));
    expect(await repo.findById('r1')).toEqual(stored);
    const approvals = [{ by: 'ana', at: 1_800_000_000_500, comment: 'ok <b>' }];
    expect(await transactions.run((tx) => repo.updateAtRevision('r1', 1, { approvals }, tx))).toBe(true);
    expect(await transactions.run((tx) => repo.updateAtRevision('r1', 1, { state: 'rejected' }, tx))).toBe(false);
    expect(await repo.findById('r1')).toMatchObject({ revision: 2, state: 'pending', approvals });
    // Decided: out of the way of the paging test below, which shares this database.
    expect(await transactions.run((tx) => repo.updateAtRevision('r1', 2, { state: 'rejected' }, tx))).toBe(true);
  });

  it.skipIf(skip)('pages newest first by state with a key, and finds pending ones past their expiry', async () => {
    const repo = new ApprovalRepository(open.db);
    const { transactions } = open.services;
    await transactions.run(async (tx) => {
      await repo.insert(row('p1', 100), tx);
      await repo.insert(row('p2', 200), tx);
      await repo.insert(row('p3', 200), tx);
      await repo.insert(row('x1', 300, { state: 'rejected' }), tx);
      await repo.insert(row('old', 50, { state: 'expired' }), tx);
    });
    const pending = await repo.page(['pending'], 2);
    expect(pending.map((a) => a.id)).toEqual(['p3', 'p2', 'p1']);
    expect((await repo.page(['pending'], 2, [200, 'p2'])).map((a) => a.id)).toEqual(['p1']);
    expect((await repo.page(['approved', 'rejected', 'expired'], 10, [301, ''])).map((a) => a.id)).toEqual([
      'x1',
      'old',
    ]);
    expect((await repo.page(undefined, 10, [301, ''])).map((a) => a.id)).toEqual(['x1', 'p3', 'p2', 'p1', 'old']);
    expect((await repo.duePending(60_200, 10)).map((a) => a.id)).toEqual(['p1', 'p2', 'p3']);
    expect((await repo.duePending(60_100, 10)).map((a) => a.id)).toEqual(['p1']);
  });

  it.skipIf(skip)('lets one of two simultaneous final approvals win and issues the commands once', async () => {
    const { transactions, audit, alerts, repos } = open.services;
    const issuer = new RecordingCommandIssuer();
    const service = new ApprovalService(
      new ApprovalRepository(open.db),
      alerts,
      transactions,
      audit,
      new Clock(),
      new RandomSource(),
      issuer,
      new JsonLogger('error', { write: () => undefined }),
    );
    const { approvalId } = await service.request({
      summary: 'Lock the screen on ward3-ws12',
      commands: row('x', 0).commands,
      playbookId: 'ransomware',
      playbookVersion: 2,
      expiresInSeconds: 600,
      twoPersonReason: null,
    });
    const results = await Promise.allSettled([
      service.approve(approvalId, 'ana', ''),
      service.approve(approvalId, 'bob', ''),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { status: 'conflict' } });
    expect(issuer.issued).toHaveLength(1);
    const detail = await service.detail(approvalId);
    expect(detail).toMatchObject({ state: 'approved', issueState: 'issued', commandIds: ['cmd-1'] });
    const actions = (await repos.audit.list(50)).filter((r) => r.target === approvalId).map((r) => r.action);
    expect(actions.reverse()).toEqual(['approval.requested', 'approval.approve', 'approval.approved']);
  });
});
