import type { CommandView } from '@wardwatch/shared';
import { describe, expect, it } from 'vitest';
import { actionText, decidedBy, resultText, stateText, stateTone } from './command-display';

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
