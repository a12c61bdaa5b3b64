// Between the contract's CommandPayload and a stored command row. The action is stored
// as the generated JSON form of its oneof case (bytes as base64), so that the payload
// signed at delivery is rebuilt exactly from the row, whichever replica delivers it.
import { CommandPayload } from '@wardwatch/proto';
import type { CommandActionKind } from '@wardwatch/shared';
import type { CommandAction } from './command-issuer';
import type { CommandEntity } from './command.entity';

export interface StoredAction {
  kind: CommandActionKind;
  json: Record<string, unknown>;
}

const EMPTY: Omit<CommandPayload, 'action'> = {
  commandId: '',
  agentId: '',
  issuedAtMs: 0,
  expiresAtMs: 0,
  dryRun: false,
  reason: '',
  warningSeconds: 0,
  automatic: false,
};

export function storeAction(action: CommandAction): StoredAction {
  const json = CommandPayload.toJSON({ ...EMPTY, action }) as Record<string, unknown>;
  const value = json[action.$case];
  return { kind: action.$case, json: value && typeof value === 'object' ? (value as Record<string, unknown>) : {} };
}

export function payloadOf(command: CommandEntity): CommandPayload {
  const action = CommandPayload.fromJSON({ [command.actionKind]: command.action }).action;
  return {
    commandId: command.id,
    agentId: command.agentId,
    issuedAtMs: command.issuedAt,
    expiresAtMs: command.expiresAt,
    dryRun: command.dryRun,
    reason: command.reason,
    warningSeconds: command.warningSeconds,
    automatic: command.automatic,
    action,
  };
}

/** The bytes that are signed and sent: the agent verifies these exactly, then decodes them. */
export function encodePayload(payload: CommandPayload): Uint8Array {
  return CommandPayload.encode(payload).finish();
}
