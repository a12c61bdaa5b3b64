// For the response tests: a real Ed25519 command key (as the manager holds it), signed
// commands and maintenance codes made with it, and an in-memory ResponseActions that
// records what it was asked to do (our own seam; the real actions are tested apart).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandPayload, type CommandKey, type SignedCommand } from '@wardwatch/proto';
import { formatMaintenanceCode, type MaintenanceCodePayload } from '@wardwatch/shared';
import type {
  ActionOptions,
  ActionOutcome,
  LocalAccount,
  ProcessRef,
  ResponseActions,
  UndoRecord,
} from './actions/response-actions';

export const AGENT_ID = 'agent-7';

export interface TestCommandKey {
  privateKey: KeyObject;
  commandKey: CommandKey;
}

export function makeCommandKey(): TestCommandKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    commandKey: { keyId: createHash('sha256').update(der).digest('hex').slice(0, 16), publicKey: der },
  };
}

let counter = 0;

export function payloadOf(overrides: Partial<CommandPayload> = {}, now = Date.now()): CommandPayload {
  counter += 1;
  return {
    commandId: `cmd-${counter}-${Math.random().toString(16).slice(2, 10)}`,
    agentId: AGENT_ID,
    issuedAtMs: now,
    expiresAtMs: now + 600_000,
    dryRun: false,
    reason: 'ransomware-like burst in a patient-data folder',
    warningSeconds: 0,
    automatic: true,
    action: { $case: 'blockRemovable', value: { durationSeconds: 3_600 } },
    ...overrides,
  };
}

export function signCommand(key: TestCommandKey, payload: CommandPayload): SignedCommand {
  const bytes = Buffer.from(CommandPayload.encode(payload).finish());
  return { payload: bytes, signature: sign(null, bytes, key.privateKey), keyId: key.commandKey.keyId };
}

export function maintenanceCode(key: TestCommandKey, overrides: Partial<MaintenanceCodePayload> = {}): string {
  const now = Date.now();
  const payload: MaintenanceCodePayload = {
    v: 1,
    codeId: `code-${Math.random().toString(16).slice(2, 12)}`,
    agentId: AGENT_ID,
    issuedAtMs: now,
    expiresAtMs: now + 3_600_000,
    maxMinutes: 120,
    issuedBy: 'it-user-1',
    ...overrides,
  };
  const bytes = Buffer.from(JSON.stringify(payload));
  return formatMaintenanceCode(bytes, sign(null, bytes, key.privateKey), key.commandKey.keyId);
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ww-response-'));
}

export type RecordedCall =
  | { action: 'revokeSession' | 'lockScreen'; account?: LocalAccount; sessionId?: string; dryRun: boolean }
  | { action: 'killProcessTree'; targets: ProcessRef[]; dryRun: boolean }
  | { action: 'blockRemovable'; durationSeconds: number; dryRun: boolean }
  | { action: 'disableAccount'; account: LocalAccount; durationSeconds: number; dryRun: boolean }
  | { action: 'collectDiagnostics'; dryRun: boolean }
  | { action: 'undo'; record: UndoRecord; dryRun: boolean };

/** Records each call; reversible actions leave an UndoRecord expiring after their duration. */
export class RecordingActions implements ResponseActions {
  readonly calls: RecordedCall[] = [];
  failNext = false;

  constructor(private readonly now: () => number = Date.now) {}

  revokeSession(target: { account?: LocalAccount; sessionId?: string }, o: ActionOptions): Promise<ActionOutcome> {
    this.calls.push({ action: 'revokeSession', ...target, dryRun: o.dryRun });
    return this.outcome('sessions ended', { sessions: 1 });
  }

  lockScreen(target: { account?: LocalAccount; sessionId?: string }, o: ActionOptions): Promise<ActionOutcome> {
    this.calls.push({ action: 'lockScreen', ...target, dryRun: o.dryRun });
    return this.outcome('screen locked', { sessions: 1 });
  }

  killProcessTree(targets: ProcessRef[], o: ActionOptions): Promise<ActionOutcome> {
    this.calls.push({ action: 'killProcessTree', targets, dryRun: o.dryRun });
    return this.outcome('process tree stopped', { killed: targets.length });
  }

  blockRemovable(durationSeconds: number, o: ActionOptions): Promise<ActionOutcome> {
    this.calls.push({ action: 'blockRemovable', durationSeconds, dryRun: o.dryRun });
    return this.outcome(
      'removable writes blocked',
      {},
      {
        kind: 'unblock_removable',
        data: { devices: 1 },
        expiresAtMs: durationSeconds > 0 ? this.now() + durationSeconds * 1_000 : null,
      },
    );
  }

  disableAccount(account: LocalAccount, durationSeconds: number, o: ActionOptions): Promise<ActionOutcome> {
    this.calls.push({ action: 'disableAccount', account, durationSeconds, dryRun: o.dryRun });
    return this.outcome(
      'account disabled',
      {},
      {
        kind: 'enable_account',
        data: { name: account.name },
        expiresAtMs: durationSeconds > 0 ? this.now() + durationSeconds * 1_000 : null,
      },
    );
  }

  collectDiagnostics(o: ActionOptions): Promise<ActionOutcome> {
    this.calls.push({ action: 'collectDiagnostics', dryRun: o.dryRun });
    return this.outcome('diagnostics collected', { processes: 3 });
  }

  undo(record: UndoRecord, o: ActionOptions): Promise<ActionOutcome> {
    this.calls.push({ action: 'undo', record, dryRun: o.dryRun });
    return this.outcome('undone', {});
  }

  private outcome(message: string, details: Record<string, unknown>, undo?: UndoRecord): Promise<ActionOutcome> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.resolve({ ok: false, message: 'it did not work', details: {} });
    }
    return Promise.resolve({ ok: true, message, details, ...(undo ? { undo } : {}) });
  }
}
