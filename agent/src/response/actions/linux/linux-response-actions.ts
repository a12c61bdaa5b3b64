// ResponseActions on Linux: one file per action beside this one; this class only hands
// each call its dependencies and sends an UndoRecord to the action that made it.
import { refused } from '../outcome';
import type {
  ActionOptions,
  ActionOutcome,
  LocalAccount,
  ProcessRef,
  ResponseActions,
  UndoRecord,
} from '../response-actions';
import { blockRemovable, unblockRemovable } from './block-removable';
import { collectDiagnostics } from './collect-diagnostics';
import { disableAccount, enableAccount } from './disable-account';
import { killProcessTree } from './kill-process-tree';
import type { LinuxDeps } from './linux-deps';
import { lockScreen, unlockScreen } from './lock-screen';
import { revokeSession } from './revoke-session';

export class LinuxResponseActions implements ResponseActions {
  constructor(private readonly deps: LinuxDeps) {}

  revokeSession(
    target: { account?: LocalAccount; sessionId?: string },
    options: ActionOptions,
  ): Promise<ActionOutcome> {
    return revokeSession(this.deps, target, options);
  }

  lockScreen(target: { account?: LocalAccount; sessionId?: string }, options: ActionOptions): Promise<ActionOutcome> {
    return lockScreen(this.deps, target, options);
  }

  killProcessTree(targets: ProcessRef[], options: ActionOptions): Promise<ActionOutcome> {
    return killProcessTree(this.deps, targets, options);
  }

  blockRemovable(durationSeconds: number, options: ActionOptions): Promise<ActionOutcome> {
    return blockRemovable(this.deps, durationSeconds, options);
  }

  disableAccount(account: LocalAccount, durationSeconds: number, options: ActionOptions): Promise<ActionOutcome> {
    return disableAccount(this.deps, account, durationSeconds, options);
  }

  collectDiagnostics(options: ActionOptions): Promise<ActionOutcome> {
    return collectDiagnostics(this.deps, options);
  }

  undo(record: UndoRecord, options: ActionOptions): Promise<ActionOutcome> {
    switch (record.kind) {
      case 'unblock_removable':
        return unblockRemovable(this.deps, record, options);
      case 'enable_account':
        return enableAccount(this.deps, record, options);
      case 'unlock':
        return unlockScreen(this.deps, record, options);
      default:
        return Promise.resolve(refused('unknown undo kind'));
    }
  }
}
