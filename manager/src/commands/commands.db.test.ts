// The repositories of commands/ on SQLite and PostgreSQL: the conditional state changes,
// queue order, paging, JSON and boolean columns, key retirement, upsert and dedup that the
// in-memory fakes imitate.
import { describe, expect, it } from 'vitest';
import { databaseForTests } from '../testing/engine-database.fixture';
import { testEngines } from '../testing/test-engines.fixture';
import { AgentResponseStateRepository } from './agent-response-state.repository';
import { CommandKeyRepository } from './command-key.repository';
import type { CommandEntity } from './command.entity';
import { CommandRepository } from './command.repository';

const command = (id: string, agentId: string, issuedAt: number, over: Partial<CommandEntity> = {}): CommandEntity => ({
  id,
  agentId,
  actionKind: 'lockScreen',
  action: { user: 'u_1', sessionId: '' },
  reason: 'Unusual activity.',
  warningSeconds: 30,
  automatic: true,
  dryRun: false,
  issuedAt,
  expiresAt: issuedAt + 1_000,
  state: 'queued',
  decision: { source: 'playbook', playbookId: 'pb', ruleIds: ['r1'] },
  sentAt: null,
  keyId: null,
  resultOutcome: null,
  resultMessage: null,
  resultDetails: null,
  finishedAt: null,
  ...over,
});

describe.each(testEngines)('commands repositories on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('stores commands, changes state only from the states given, queues and pages them', async () => {
    const repo = new CommandRepository(open.db);
    const tx = open.services.transactions;
    await tx.run(async (t) => {
      await repo.insert(command('c1', 'a1', 1_000), t);
      await repo.insert(command('c2', 'a1', 1_000, { dryRun: true }), t);
      await repo.insert(command('c3', 'a1', 900), t);
      await repo.insert(command('c4', 'a2', 950), t);
      await repo.insert(command('c5', 'a1', 100), t);
    });
    expect(await repo.findById('c2')).toMatchObject({
      dryRun: true,
      automatic: true,
      action: { user: 'u_1' },
      decision: { ruleIds: ['r1'] },
      issuedAt: 1_000,
    });
    expect((await repo.undeliveredFor('a1', 1_500, 10)).map((c) => c.id)).toEqual(['c3', 'c1', 'c2']);
    expect((await repo.expiredQueued(1_500, 10)).map((c) => c.id)).toEqual(['c5']);

    expect(await repo.transition('c1', 'a2', ['queued'], { state: 'sent' })).toBe(false);
    expect(await repo.transition('c1', 'a1', ['queued'], { state: 'sent', sentAt: 1_100, keyId: 'k' })).toBe(true);
    expect(await repo.transition('c1', 'a1', ['queued'], { state: 'sent' })).toBe(false);
    // A sent command without a result is still undelivered as far as the manager knows.
    expect((await repo.undeliveredFor('a1', 1_500, 10)).map((c) => c.id)).toEqual(['c3', 'c1', 'c2']);
    const done = { state: 'done' as const, resultOutcome: 'done', resultDetails: { n: 1 }, finishedAt: 1_200 };
    expect(await tx.run((t) => repo.transition('c1', 'a1', ['sent', 'warning'], done, t))).toBe(true);
    expect(await repo.findById('c1')).toMatchObject({ state: 'done', resultDetails: { n: 1 }, sentAt: 1_100 });
    expect((await repo.undeliveredFor('a1', 1_500, 10)).map((c) => c.id)).toEqual(['c3', 'c2']);

    const all = await repo.page({}, 2);
    expect(all.map((c) => c.id)).toEqual(['c2', 'c1', 'c4']);
    expect((await repo.page({}, 2, [1_000, 'c1'])).map((c) => c.id)).toEqual(['c4', 'c3', 'c5']);
    expect((await repo.page({ agentId: 'a1', state: 'queued' }, 10)).map((c) => c.id)).toEqual(['c2', 'c3', 'c5']);
  });

  it.skipIf(skip)('lists active keys newest first and retires them', async () => {
    const keys = new CommandKeyRepository(open.db);
    const key = (keyId: string, createdAt: number) => ({
      keyId,
      publicKey: 'cHVi',
      sealedPrivateKey: 'c2VhbGVk',
      createdAt,
      retiredAt: null,
    });
    await keys.insert(key('000000000000000a', 1));
    await keys.insert(key('000000000000000b', 2));
    expect((await keys.active()).map((k) => k.keyId)).toEqual(['000000000000000b', '000000000000000a']);
    await keys.retire(['000000000000000a'], 5);
    await keys.retire([], 6);
    expect((await keys.active()).map((k) => k.keyId)).toEqual(['000000000000000b']);
  });

  it.skipIf(skip)("upserts an agent's response state and sees a local action id once", async () => {
    const states = new AgentResponseStateRepository(open.db);
    const base = { agentId: 'a1', keyIds: ['k1'], breakGlassUntil: null, maintenanceUntil: null, updatedAt: 1 };
    await states.save(base);
    await states.save({ ...base, keyIds: ['k1', 'k2'], breakGlassUntil: 99, updatedAt: 2 });
    expect(await states.find('a1')).toEqual({ ...base, keyIds: ['k1', 'k2'], breakGlassUntil: 99, updatedAt: 2 });
    const action = { agentId: 'a1', id: 'l1', kind: 'break_glass', timeMs: 1, receivedAt: 2 };
    const tx = open.services.transactions;
    expect(await tx.run((t) => states.addLocalAction(action, t))).toBe(true);
    expect(await tx.run((t) => states.addLocalAction(action, t))).toBe(false);
    expect(await tx.run((t) => states.addLocalAction({ ...action, agentId: 'a2' }, t))).toBe(true);
  });
});
