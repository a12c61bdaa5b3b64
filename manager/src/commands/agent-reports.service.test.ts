import { CommandOutcome, type CommandResult, type LocalAction } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { commandsSut, lockRequest } from '../testing/commands.fixture';

const result = (commandId: string, outcome: number, over: Partial<CommandResult> = {}): CommandResult => ({
  commandId,
  ok: outcome === CommandOutcome.COMMAND_OUTCOME_DONE,
  message: 'ok',
  outcome: outcome as CommandOutcome,
  finishedAtMs: 1_000_500,
  detailsJson: '{"killed":2}',
  ...over,
});

const local = (id: string, kind: string, over: Partial<LocalAction> = {}): LocalAction => ({
  id,
  timeMs: 1_000_000,
  kind,
  user: 'u_0123456789abcdef',
  reason: 'code blue',
  durationSeconds: 600,
  commandId: '',
  ...over,
});

async function sentCommand() {
  const sut = commandsSut();
  await sut.connect('a1');
  await sut.connect('a2');
  const mine = await sut.commands.issue(lockRequest('a1'));
  const theirs = await sut.commands.issue(lockRequest('a2'));
  const queued = await sut.commands.issue(lockRequest('a1'));
  sut.commandRows.rows.find((r) => r.id === queued.commandId)!.state = 'queued';
  return { ...sut, mine: mine.commandId, theirs: theirs.commandId, queued: queued.commandId };
}

describe('AgentReportsService results', () => {
  it('keeps the first final result; a WARNING before it is replaced; later ones are duplicates', async () => {
    const { reports, mine, commandRows, auditRows } = await sentCommand();
    expect(await reports.recordResult('a1', result(mine, CommandOutcome.COMMAND_OUTCOME_WARNING))).toBe('stored');
    expect(commandRows.rows.find((r) => r.id === mine)).toMatchObject({ state: 'warning', finishedAt: null });
    expect(await reports.recordResult('a1', result(mine, CommandOutcome.COMMAND_OUTCOME_WARNING))).toBe('duplicate');
    expect(await reports.recordResult('a1', result(mine, CommandOutcome.COMMAND_OUTCOME_DONE))).toBe('stored');
    expect(await reports.recordResult('a1', result(mine, CommandOutcome.COMMAND_OUTCOME_FAILED))).toBe('duplicate');
    expect(await reports.recordResult('a1', result(mine, CommandOutcome.COMMAND_OUTCOME_WARNING))).toBe('duplicate');
    expect(commandRows.rows.find((r) => r.id === mine)).toMatchObject({
      state: 'done',
      resultOutcome: 'done',
      resultDetails: { killed: 2 },
      finishedAt: 1_000_500,
    });
    expect(auditRows.actions().filter((a) => a === 'command.result')).toHaveLength(2);
  });

  it("ignores and counts a result for another agent's command, an unsent one, an unknown one", async () => {
    const { reports, theirs, queued, refusals, commandRows } = await sentCommand();
    expect(await reports.recordResult('a1', result(theirs, CommandOutcome.COMMAND_OUTCOME_DONE))).toBe('ignored');
    expect(await reports.recordResult('a1', result(queued, CommandOutcome.COMMAND_OUTCOME_DONE))).toBe('ignored');
    expect(await reports.recordResult('a1', result('no-such', CommandOutcome.COMMAND_OUTCOME_DONE))).toBe('ignored');
    expect(refusals.get('foreign_result')).toBe(3);
    expect(commandRows.rows.find((r) => r.id === theirs)?.state).toBe('sent');
  });

  it('bounds the id, the outcome, the message and the details', async () => {
    const { reports, mine, refusals, commandRows } = await sentCommand();
    expect(await reports.recordResult('a1', result('i'.repeat(65), 1))).toBe('ignored');
    expect(await reports.recordResult('a1', result(mine, 42))).toBe('ignored');
    expect(await reports.recordResult('a1', result(mine, 0))).toBe('ignored');
    const long = result(mine, CommandOutcome.COMMAND_OUTCOME_FAILED, {
      message: 'x'.repeat(600),
      detailsJson: '"text"',
    });
    expect(await reports.recordResult('a1', long)).toBe('stored');
    const row = commandRows.rows.find((r) => r.id === mine);
    expect(row?.resultMessage).toHaveLength(500);
    expect(row?.resultDetails).toEqual({});
    expect(refusals.snapshot()).toMatchObject({
      oversized_id: 1,
      unknown_outcome: 2,
      oversized_message: 1,
      bad_details: 1,
    });
  });

  it('stores the manager time when the agent reports an implausible finish time', async () => {
    const { reports, mine, commandRows } = await sentCommand();
    await reports.recordResult('a1', result(mine, 1, { finishedAtMs: 9e15, detailsJson: '{' }));
    expect(commandRows.rows.find((r) => r.id === mine)).toMatchObject({ finishedAt: 1_000_000, resultDetails: {} });
  });
});

describe('AgentReportsService local actions', () => {
  it('audits each id once and keeps the break-glass and maintenance state', async () => {
    const { reports, auditRows, clock, refusals } = commandsSut();
    expect(await reports.recordLocalAction('a1', local('l1', 'break_glass'))).toBe(true);
    expect(await reports.recordLocalAction('a1', local('l1', 'break_glass'))).toBe(false);
    expect(await reports.recordLocalAction('a2', local('l1', 'maintenance'))).toBe(true);
    expect(await reports.isUnderBreakGlass('a1')).toBe(true);
    expect(await reports.isInMaintenance('a1')).toBe(false);
    expect(await reports.isInMaintenance('a2')).toBe(true);
    clock.advance(601_000);
    expect(await reports.isUnderBreakGlass('a1')).toBe(false);
    await reports.recordLocalAction('a2', local('l2', 'maintenance_ended'));
    expect(await reports.isInMaintenance('a2')).toBe(false);
    await reports.recordLocalAction('a2', local('l3', 'undo', { commandId: 'c-9' }));
    expect(await reports.recordLocalAction('a2', local('l4', 'ransomware_stopped'))).toBe(true);
    expect(auditRows.actions()).toEqual([
      'agent.break_glass',
      'agent.maintenance',
      'agent.maintenance_ended',
      'agent.local_undo',
      'agent.ransomware_stopped',
    ]);
    expect(refusals.get('duplicate_local_action')).toBe(1);
  });

  it('keeps the user at the workstation when it is a token, never a clear name', async () => {
    const { reports, auditRows, refusals } = commandsSut();
    await reports.recordLocalAction('a1', local('l1', 'break_glass'));
    await reports.recordLocalAction('a1', local('l2', 'maintenance', { user: 'nurse.jones' }));
    await reports.recordLocalAction('a1', local('l3', 'undo', { user: '' }));
    expect(auditRows.rows.map((r) => r.details.user)).toEqual(['u_0123456789abcdef', '', '']);
    expect(refusals.get('clear_user')).toBe(1);
  });

  it('refuses unknown kinds and oversized ids, and bounds the reason and duration', async () => {
    const { reports, auditRows, refusals, stateRows } = commandsSut();
    expect(await reports.recordLocalAction('a1', local('l1', '<script>'))).toBe(false);
    expect(await reports.recordLocalAction('a1', local('x'.repeat(65), 'break_glass'))).toBe(false);
    expect(await reports.recordLocalAction('a1', local('', 'break_glass'))).toBe(false);
    expect(refusals.get('bad_local_action')).toBe(3);
    await reports.recordLocalAction(
      'a1',
      local('l2', 'break_glass', { reason: 'r'.repeat(5_000), durationSeconds: 4e9 }),
    );
    expect(auditRows.rows[0].details.reason).toHaveLength(500);
    expect(auditRows.rows[0].details.durationSeconds).toBe(86_400);
    expect(stateRows.rows[0].breakGlassUntil).toBe(1_000_000 + 86_400_000);
  });
});
