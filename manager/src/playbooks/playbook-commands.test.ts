import { describe, expect, it } from 'vitest';
import { buildCommandAction, twoPersonReason, userReason, warningSeconds } from './playbook-commands';

describe('playbook commands', () => {
  it('builds the contract action for each kind', () => {
    expect(buildCommandAction({ kind: 'kill_process_tree', mode: 'automatic' }, null)).toEqual({
      ok: true,
      action: { $case: 'killProcessTree', value: { pid: 0, startTime: 0, folderClass: 'phi' } },
    });
    expect(buildCommandAction({ kind: 'block_removable', mode: 'automatic', durationSeconds: 600 }, 'u_1')).toEqual({
      ok: true,
      action: { $case: 'blockRemovable', value: { durationSeconds: 600 } },
    });
    expect(buildCommandAction({ kind: 'revoke_session', mode: 'automatic' }, 'u_1')).toEqual({
      ok: true,
      action: { $case: 'revokeSession', value: { user: 'u_1', sessionId: '' } },
    });
    expect(buildCommandAction({ kind: 'lock_screen', mode: 'approve' }, null)).toEqual({
      ok: true,
      action: { $case: 'lockScreen', value: { user: '', sessionId: '' } },
    });
    expect(buildCommandAction({ kind: 'disable_account', mode: 'approve' }, 'u_2')).toEqual({
      ok: true,
      action: { $case: 'disableAccount', value: { user: 'u_2', durationSeconds: 3_600 } },
    });
    expect(buildCommandAction({ kind: 'collect_diagnostics', mode: 'approve' }, null)).toEqual({
      ok: true,
      action: { $case: 'collectDiagnostics', value: {} },
    });
  });

  it('refuses a revoke or disable when the alert names nobody, and notify as a command', () => {
    expect(buildCommandAction({ kind: 'revoke_session', mode: 'automatic' }, null).ok).toBe(false);
    expect(buildCommandAction({ kind: 'disable_account', mode: 'approve' }, null).ok).toBe(false);
    // A critical score sent before its user's token came (OPRF mode) names nobody either.
    expect(buildCommandAction({ kind: 'revoke_session', mode: 'automatic' }, '').ok).toBe(false);
    expect(buildCommandAction({ kind: 'disable_account', mode: 'approve' }, '').ok).toBe(false);
    expect(buildCommandAction({ kind: 'notify', mode: 'notify' }, 'u_1').ok).toBe(false);
  });

  it('warns 60 s before a revoke or lock unless the alert is critical; the playbook may say otherwise', () => {
    expect(warningSeconds({ kind: 'lock_screen', mode: 'automatic' }, 'high')).toBe(60);
    expect(warningSeconds({ kind: 'revoke_session', mode: 'automatic' }, 'critical')).toBe(0);
    expect(warningSeconds({ kind: 'lock_screen', mode: 'automatic', warningSeconds: 30 }, 'critical')).toBe(30);
    expect(warningSeconds({ kind: 'kill_process_tree', mode: 'automatic' }, 'high')).toBe(0);
  });

  it('asks two people for an account disable or a bulk action', () => {
    expect(twoPersonReason('disable_account', 1, 5)).toMatch(/two people/);
    expect(twoPersonReason('lock_screen', 5, 5)).toBeNull();
    expect(twoPersonReason('lock_screen', 6, 5)).toMatch(/6 workstations \(more than 5\)/);
  });

  it('tells the user what and why without names or paths', () => {
    expect(userReason('lock_screen', ['ransomware-burst'])).toBe(
      'Security response: WardWatch will lock the screen on this workstation (ransomware-burst).',
    );
  });
});
