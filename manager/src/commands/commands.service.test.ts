import { IssueCommandRequest } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { CommandError } from './command.errors';
import { commandsSut, lockRequest, testAgent, verifiedPayloads } from '../testing/commands.fixture';

describe('CommandsService', () => {
  it('queues a command for an offline agent and audits it with its decision, in one transaction', async () => {
    const { commands, commandRows, auditRows } = commandsSut();
    const issued = await commands.issue(lockRequest('a1'));
    expect(issued).toEqual({ commandId: 'uuid-1', state: 'queued' });
    expect(commandRows.stateOf('uuid-1')).toBe('queued');
    expect(auditRows.rows.map((r) => [r.action, r.details.decision])).toEqual([
      ['command.issued', { source: 'playbook', playbookId: 'pb-1' }],
    ]);

    auditRows.failNextInsert = new Error('disk full');
    await expect(commands.issue(lockRequest('a1'))).rejects.toThrow('disk full');
    expect(commandRows.rows).toHaveLength(1);
  });

  it('refuses an unknown or revoked agent', async () => {
    const { commands } = commandsSut([testAgent('gone', 'revoked')]);
    await expect(commands.issue(lockRequest('nobody'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(commands.issue(lockRequest('gone'))).rejects.toBeInstanceOf(CommandError);
  });

  it('sends at once to a connected agent, signed by the key it pinned', async () => {
    const { commands, connect, keys, commandRows } = commandsSut();
    const session = await connect('a1');
    const issued = await commands.issue(lockRequest('a1', { dryRun: true }));
    expect(issued.state).toBe('sent');
    const [sent] = verifiedPayloads(session.got, await keys.pinned());
    expect(sent.payload).toMatchObject({
      commandId: issued.commandId,
      agentId: 'a1',
      dryRun: true,
      issuedAtMs: 1_000_000,
    });
    expect(sent.payload.expiresAtMs).toBe(1_000_000 + 600_000);
    expect(commandRows.rows[0]).toMatchObject({ state: 'sent', keyId: sent.keyId, sentAt: 1_000_000 });
  });

  it('keeps commands queued while the agent pinned none of our keys, then sends them oldest first', async () => {
    const { commands, connect, keys, clock, sessions } = commandsSut();
    const before = await connect('a1', []);
    const first = await commands.issue(lockRequest('a1'));
    clock.advance(10);
    const second = await commands.issue(lockRequest('a1'));
    expect([first.state, second.state]).toEqual(['queued', 'queued']);
    expect(before.got).toEqual([]);
    sessions.remove('a1', before);
    const session = await connect('a1');
    const sent = verifiedPayloads(session.got, await keys.pinned()).map((s) => s.payload.commandId);
    expect(sent).toEqual([first.commandId, second.commandId]);
  });

  it('puts a command back in the queue when the stream ended as it was written', async () => {
    const { commands, connect, commandRows } = commandsSut();
    const session = await connect('a1');
    session.up = false;
    const issued = await commands.issue(lockRequest('a1'));
    expect(issued.state).toBe('queued');
    expect(commandRows.rows[0]).toMatchObject({ state: 'queued', sentAt: null, keyId: null });
  });

  it('after a Hello sends again, oldest first, every unexpired sent command without a result', async () => {
    const { commands, connect, keys, clock, sessions, commandRows, logs } = commandsSut();
    const first = await connect('a1');
    const lost = await commands.issue(lockRequest('a1', { expiresInSeconds: 600 }));
    clock.advance(10);
    const warned = await commands.issue(lockRequest('a1'));
    const finished = await commands.issue(lockRequest('a1'));
    const short = await commands.issue(lockRequest('a1', { expiresInSeconds: 20 }));
    sessions.remove('a1', first);
    const queued = await commands.issue(lockRequest('a1'));
    expect(commandRows.stateOf(queued.commandId)).toBe('queued');
    commandRows.rows.find((r) => r.id === warned.commandId)!.state = 'warning';
    commandRows.rows.find((r) => r.id === finished.commandId)!.state = 'done';
    clock.advance(20_000);

    const second = await connect('a1');
    const pinned = await keys.pinned();
    const again = verifiedPayloads(second.got, pinned).map((s) => s.payload.commandId);
    expect(again).toEqual([lost.commandId, queued.commandId]);
    // The same payload bytes as the first time: the agent recognises the repeat by them.
    const bytes = (got: typeof first.got, id: string) =>
      got.flatMap((m) =>
        m.body?.$case === 'signedCommand' && verifiedPayloads([m], pinned)[0]?.payload.commandId === id
          ? [Buffer.from(m.body.value.payload).toString('hex')]
          : [],
      );
    expect(bytes(second.got, lost.commandId)).toEqual(bytes(first.got, lost.commandId));
    expect(commandRows.rows.find((r) => r.id === lost.commandId)).toMatchObject({ state: 'sent', sentAt: 1_000_000 });
    expect(commandRows.stateOf(short.commandId)).toBe('sent');
    expect(logs.filter((l) => l.msg === 'command sent again')).toHaveLength(1);

    // Its result came in: not sent at the next Hello.
    commandRows.rows.find((r) => r.id === lost.commandId)!.state = 'done';
    sessions.remove('a1', second);
    const third = await connect('a1');
    expect(verifiedPayloads(third.got, pinned).map((s) => s.payload.commandId)).toEqual([queued.commandId]);
  });

  it('expires only queued commands past their time, audited, and never sends them', async () => {
    const { commands, connect, clock, auditRows, commandRows } = commandsSut();
    const soon = await commands.issue(lockRequest('a1', { expiresInSeconds: 5 }));
    const later = await commands.issue(lockRequest('a1', { expiresInSeconds: 600 }));
    clock.advance(6_000);
    expect(await commands.expireDue()).toBe(1);
    expect(await commands.expireDue()).toBe(0);
    expect(commandRows.stateOf(soon.commandId)).toBe('expired');
    expect(auditRows.actions().filter((a) => a === 'command.expired')).toHaveLength(1);
    const session = await connect('a1');
    const sent = session.got.filter((m) => m.body?.$case === 'signedCommand').length;
    expect(sent).toBe(1);
    expect(commandRows.stateOf(later.commandId)).toBe('sent');
  });

  it('undoes a done reversible command with an UndoAction; refuses anything else', async () => {
    const { commands, commandRows } = commandsSut();
    const lock = await commands.issue(lockRequest('a1'));
    await expect(commands.undo(lock.commandId, 'reverse it', 'alice')).rejects.toMatchObject({ code: 'not_undoable' });
    commandRows.rows[0].state = 'done';
    const undo = await commands.undo(lock.commandId, 'reverse it', 'alice');
    const row = commandRows.rows.find((r) => r.id === undo.commandId);
    expect(row).toMatchObject({ actionKind: 'undo', action: { commandId: lock.commandId }, automatic: false });
    expect(row?.decision).toEqual({ source: 'user', actorId: 'alice' });
    const diag = await commands.issue(lockRequest('a1', { action: { $case: 'collectDiagnostics', value: {} } }));
    commandRows.rows.find((r) => r.id === diag.commandId)!.state = 'done';
    await expect(commands.undo(diag.commandId, 'x', 'alice')).rejects.toMatchObject({ code: 'not_undoable' });
    await expect(commands.undo('nope', 'x', 'alice')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('signs a restore_files command exactly as issued (manual, not undoable), and the API schema takes it', async () => {
    const { commands, connect, keys, commandRows } = commandsSut();
    const session = await connect('a1');
    const body = IssueCommandRequest.parse({
      agentId: 'a1',
      action: { kind: 'restoreFiles', sinceMs: 1_796_000_000_000, removeCreatedExtensions: ['.locked'] },
      reason: 'Files damaged by ransomware are put back.',
    });
    expect(body.action).toEqual({
      kind: 'restoreFiles',
      folderClass: 'phi',
      sinceMs: 1_796_000_000_000,
      removeCreatedExtensions: ['.locked'],
    });
    const value = { folderClass: 'phi', sinceMs: 1_796_000_000_000, removeCreatedExtensions: ['.locked'] };
    const issued = await commands.issue(
      lockRequest('a1', { action: { $case: 'restoreFiles', value }, automatic: false }),
    );
    const [sent] = verifiedPayloads(session.got, await keys.pinned());
    expect(sent.payload.action).toEqual({ $case: 'restoreFiles', value });
    const row = commandRows.rows.find((r) => r.id === issued.commandId)!;
    expect(row.actionKind).toBe('restoreFiles');
    row.state = 'done';
    await expect(commands.undo(issued.commandId, 'x', 'alice')).rejects.toMatchObject({ code: 'not_undoable' });
    const bad = { agentId: 'a1', reason: 'restore', action: { kind: 'restoreFiles', sinceMs: 1 } };
    expect(
      IssueCommandRequest.safeParse({ ...bad, action: { ...bad.action, removeCreatedExtensions: ['*'] } }).success,
    ).toBe(false);
    expect(IssueCommandRequest.safeParse({ ...bad, action: { kind: 'restoreFiles' } }).success).toBe(false);
  });

  it('pages newest first with filters and the common cursor', async () => {
    const { commands, clock } = commandsSut();
    for (const agentId of ['a1', 'a2', 'a1']) {
      await commands.issue(lockRequest(agentId));
      clock.advance(1);
    }
    const first = await commands.page({ agentId: 'a1', limit: 1 });
    expect(first.items.map((c) => c.id)).toEqual(['uuid-3']);
    const next = await commands.page({ agentId: 'a1', limit: 1, cursor: first.nextCursor });
    expect(next.items.map((c) => c.id)).toEqual(['uuid-1']);
    expect(next.nextCursor).toBeUndefined();
    expect((await commands.page({ state: 'done', limit: 10 })).items).toEqual([]);
    await expect(commands.page({ limit: 10, cursor: 'garbage' })).rejects.toMatchObject({ status: 'bad_request' });
  });

  it('logs no key material', async () => {
    const { commands, connect, logs, keyRows } = commandsSut();
    await connect('a1');
    await commands.issue(lockRequest('a1'));
    const text = JSON.stringify(logs);
    expect(logs.some((l) => l.msg === 'command sent' || l.message === 'command sent')).toBe(true);
    for (const key of keyRows.rows) {
      expect(text).not.toContain(key.sealedPrivateKey.slice(0, 24));
      expect(text).not.toContain(key.publicKey.slice(20, 44));
    }
  });
});
