// The REST contract of response commands (manager commands/): the command list, issuing
// and undoing a command, command key rotation and maintenance codes.
import { z } from 'zod';

export const commandStates = [
  'queued',
  'sent',
  'warning',
  'done',
  'failed',
  'refused',
  'deferred',
  'dry_run',
  'expired',
] as const;
export const CommandStateName = z.enum(commandStates);
export type CommandStateName = z.infer<typeof CommandStateName>;

/** The contract's CommandPayload.action cases. */
export const commandActionKinds = [
  'revokeSession',
  'lockScreen',
  'killProcessTree',
  'blockRemovable',
  'disableAccount',
  'collectDiagnostics',
  'undo',
  'rotateCommandKey',
  'restoreFiles',
] as const;
export const CommandActionKind = z.enum(commandActionKinds);
export type CommandActionKind = z.infer<typeof CommandActionKind>;

/** Actions that a later UndoAction reverses once done. */
export const undoableActionKinds: readonly CommandActionKind[] = ['blockRemovable', 'disableAccount', 'lockScreen'];

const pseudonym = z.string().max(256);
const sessionId = z.string().max(64);
const duration = z
  .number()
  .int()
  .min(0)
  .max(30 * 86_400);

/** An extension an attack gives its files, with the dot: ".locked". */
export const AttackExtension = z
  .string()
  .regex(/^\.[A-Za-z0-9_~-]{1,24}$/, 'an extension with its dot, e.g. .locked (letters, digits, _ ~ -)');

/** What a person may ask for (key rotation and undo have their own routes). */
export const CommandActionInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('revokeSession'), user: pseudonym.default(''), sessionId: sessionId.default('') }),
  z.strictObject({ kind: z.literal('lockScreen'), user: pseudonym.default(''), sessionId: sessionId.default('') }),
  z.strictObject({
    kind: z.literal('killProcessTree'),
    pid: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    startTime: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    folderClass: z.string().max(32).default(''),
  }),
  z.strictObject({ kind: z.literal('blockRemovable'), durationSeconds: duration.default(0) }),
  z.strictObject({ kind: z.literal('disableAccount'), user: pseudonym.min(1), durationSeconds: duration.default(0) }),
  z.strictObject({ kind: z.literal('collectDiagnostics') }),
  // Manual only (no playbook issues it): puts back files a stopped process damaged.
  z.strictObject({
    kind: z.literal('restoreFiles'),
    folderClass: z.string().min(1).max(32).default('phi'),
    /** The first suspicious change: files changed since then go back to their version before it. */
    sinceMs: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Files created since then with one of these extensions are removed (the attack's copies). */
    removeCreatedExtensions: z.array(AttackExtension).max(16).default([]),
  }),
]);
export type CommandActionInput = z.infer<typeof CommandActionInput>;

export const IssueCommandRequest = z.strictObject({
  agentId: z.string().min(1).max(64),
  action: CommandActionInput,
  /** Shown to the workstation's user: plain words, no names or paths. */
  reason: z.string().trim().min(3).max(200),
  warningSeconds: z.number().int().min(0).max(600).default(60),
  dryRun: z.boolean().default(false),
  expiresInSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
});
export type IssueCommandRequest = z.infer<typeof IssueCommandRequest>;

export const UndoCommandRequest = z.strictObject({
  reason: z.string().trim().min(3).max(200).default('A previous action on this workstation is being reversed.'),
});
export type UndoCommandRequest = z.infer<typeof UndoCommandRequest>;

export const CommandDecisionView = z.object({
  source: z.enum(['playbook', 'approval', 'user']),
  actorId: z.string().optional(),
  playbookId: z.string().optional(),
  playbookVersion: z.number().optional(),
  alertId: z.string().optional(),
  score: z.number().optional(),
  ruleIds: z.array(z.string()).optional(),
  modelVersion: z.string().optional(),
});

export const CommandResultView = z.object({
  outcome: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  finishedAt: z.number().int().nullable(),
});

export const CommandView = z.object({
  id: z.string(),
  agentId: z.string(),
  actionKind: CommandActionKind,
  action: z.record(z.string(), z.unknown()),
  reason: z.string(),
  warningSeconds: z.number().int(),
  automatic: z.boolean(),
  dryRun: z.boolean(),
  issuedAt: z.number().int(),
  expiresAt: z.number().int(),
  state: CommandStateName,
  decision: CommandDecisionView,
  sentAt: z.number().int().nullable(),
  keyId: z.string().nullable(),
  result: CommandResultView.nullable(),
  /** Done, of a kind that can be reversed: POST /api/v1/commands/:id/undo. */
  undoable: z.boolean(),
});
export type CommandView = z.infer<typeof CommandView>;
export const CommandPage = z.object({ items: z.array(CommandView), nextCursor: z.string().optional() });
export type CommandPage = z.infer<typeof CommandPage>;

export const CommandQuery = z.object({
  agentId: z.string().max(64).optional(),
  state: CommandStateName.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(256).optional(),
});
export type CommandQuery = z.infer<typeof CommandQuery>;

export const CommandKeyRotation = z.object({
  previousKeyId: z.string(),
  keyId: z.string(),
  /** Agents sent a RotateCommandKeyAction (queued for those offline). */
  agents: z.number().int(),
});
export type CommandKeyRotation = z.infer<typeof CommandKeyRotation>;

export const MaintenanceCodeRequest = z.strictObject({
  /** The longest maintenance the code may start. */
  maxMinutes: z.number().int().min(5).max(480).default(60),
  /** How long the code may be used (at most 24 h). */
  validMinutes: z.number().int().min(5).max(1_440).default(480),
});
export type MaintenanceCodeRequest = z.infer<typeof MaintenanceCodeRequest>;

export const MaintenanceCodeView = z.object({
  code: z.string(),
  codeId: z.string(),
  agentId: z.string(),
  expiresAt: z.number().int(),
  maxMinutes: z.number().int(),
  keyId: z.string(),
});
export type MaintenanceCodeView = z.infer<typeof MaintenanceCodeView>;

/** The answer to issuing (or undoing) a command: 'sent' when the agent's stream was up, else 'queued'. */
export const IssuedCommandView = z.object({ commandId: z.string(), state: z.enum(['sent', 'queued']) });
export type IssuedCommandView = z.infer<typeof IssuedCommandView>;
