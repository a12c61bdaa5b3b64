import type { CommandView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { actionText, decidedBy, restoreAction, resultText, stateText, stateTone } from './command-display';

const command = (over: Partial<CommandView> = {}): CommandView => ({
  id: 'c1',
  agentId: 'a1',
  actionKind: 'lockScreen',
  action: { user: 'u_12ab', sessionId: '' },
  reason: 'r',
  warningSeconds: 30,
  automatic: true,
  dryRun: false,
  issuedAt: 1,
  expiresAt: 2,
  state: 'queued',
  decision: { source: 'playbook', playbookId: 'ransomware', playbookVersion: 3 },
  sentAt: null,
  keyId: null,
  result: null,
  undoable: false,
  ...over,
});

describe('command display', () => {
  it('names the action and its target', () => {
    expect(actionText(command())).toBe('Lock screen · user u_12ab');
    expect(
      actionText(command({ actionKind: 'blockRemovable', action: { durationSeconds: 7_200 }, dryRun: true })),
    ).toBe('Block removable media · for 2 h (dry run)');
    expect(actionText(command({ actionKind: 'undo', action: { commandId: '0123456789abcdef' } }))).toBe(
      'Undo · of 01234567',
    );
    expect(actionText(command({ actionKind: 'collectDiagnostics', action: {} }))).toBe('Collect diagnostics');
  });

  it('says who decided and what came back', () => {
    expect(decidedBy(command())).toBe('playbook ransomware v3 (automatic)');
    expect(decidedBy(command({ decision: { source: 'user', actorId: 'alice' } }))).toBe('alice');
    expect(decidedBy(command({ decision: { source: 'approval', playbookId: 'p', actorId: 'bob' } }))).toBe(
      'playbook p, approved by bob',
    );
    expect(resultText(command())).toMatch(/waiting for the agent/);
    const done = command({
      state: 'done',
      result: { outcome: 'done', message: '<b>2 sessions</b>', details: {}, finishedAt: 3 },
    });
    expect(resultText(done)).toBe('<b>2 sessions</b>');
  });

  it('gives every state a tone and a label', () => {
    expect(stateTone('done')).toBe('ok');
    expect(stateTone('refused')).toBe('bad');
    expect(stateTone('deferred')).toBe('held');
    expect(stateTone('warning')).toBe('wait');
    expect(stateText('dry_run')).toBe('dry run');
  });
});

describe('restore_files on the Actions page', () => {
  it('builds the action from a UTC time and extensions, or says what is wrong', () => {
    expect(restoreAction('2026-12-02T08:31', '.locked, .crypt')).toEqual({
      kind: 'restoreFiles',
      folderClass: 'phi',
      sinceMs: Date.UTC(2026, 11, 2, 8, 31),
      removeCreatedExtensions: ['.locked', '.crypt'],
    });
    expect(restoreAction('2026-12-02T08:31', '')).toMatchObject({ removeCreatedExtensions: [] });
    expect(restoreAction('', '.locked')).toBe('Give the time of the first damaged file.');
    expect(restoreAction('2026-12-02T08:31', 'locked')).toBe('Not an extension with its dot: locked');
  });

  it('names the class, the time and what is removed', () => {
    const text = actionText(
      command({
        actionKind: 'restoreFiles',
        action: { folderClass: 'phi', sinceMs: Date.UTC(2026, 11, 2, 8, 31), removeCreatedExtensions: ['.locked'] },
      }),
    );
    expect(text).toBe('Restore files · phi changed since 2026-12-02 08:31 UTC, removing new .locked files');
  });
});
