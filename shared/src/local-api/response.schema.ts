// What the tray may read and ask about responses on this workstation, through the
// agent's local API: actions pending and done, a running warning countdown,
// break-glass (a clinician's emergency access) and maintenance mode (IT staff).
import { z } from 'zod';

/** Bounded free text typed at the workstation (a reason). */
const Reason = z.string().trim().min(3).max(500);

export const ResponseActionKind = z.enum([
  'revoke_session',
  'lock_screen',
  'kill_process_tree',
  'block_removable',
  'disable_account',
  'collect_diagnostics',
  'undo',
  'rotate_command_key',
  'restore_files',
]);
export type ResponseActionKind = z.infer<typeof ResponseActionKind>;

export const ResponseActionState = z.enum(['warning', 'done', 'failed', 'refused', 'deferred', 'dry_run', 'undone']);
export type ResponseActionState = z.infer<typeof ResponseActionState>;

/** One command seen by this agent, newest first in lists. */
export const ResponseActionView = z.object({
  commandId: z.string(),
  kind: ResponseActionKind,
  state: ResponseActionState,
  /** Why, as the manager gave it (no names or paths). */
  reason: z.string(),
  automatic: z.boolean(),
  receivedAt: z.number().int(),
  /** While warning: when the action runs unless the threat is gone. */
  runsAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
  message: z.string(),
  /** Reversible and not yet undone: IT staff may undo it here. */
  undoable: z.boolean(),
  /** A reversible action is undone by itself at this time, if any. */
  expiresAt: z.number().int().nullable(),
});
export type ResponseActionView = z.infer<typeof ResponseActionView>;

export const BreakGlassView = z.object({
  active: z.boolean(),
  reason: z.string().nullable(),
  since: z.number().int().nullable(),
  until: z.number().int().nullable(),
});
export type BreakGlassView = z.infer<typeof BreakGlassView>;

export const MaintenanceView = z.object({
  active: z.boolean(),
  reason: z.string().nullable(),
  until: z.number().int().nullable(),
});
export type MaintenanceView = z.infer<typeof MaintenanceView>;

export const ResponseStatus = z.object({
  /** False until the agent holds a command key from its manager: it runs no command. */
  commandsEnabled: z.boolean(),
  dryRun: z.boolean(),
  actions: z.array(ResponseActionView).max(200),
  breakGlass: BreakGlassView,
  maintenance: MaintenanceView,
});
export type ResponseStatus = z.infer<typeof ResponseStatus>;

/** POST /v1/response/break-glass: a clinician declares emergency access. */
export const BreakGlassRequest = z.object({
  reason: Reason,
  /** Bounded: break-glass ends by itself (default 60, at most 480 minutes). */
  minutes: z.number().int().min(5).max(480).default(60),
});
export type BreakGlassRequest = z.infer<typeof BreakGlassRequest>;

/** POST /v1/response/maintenance: IT staff pause automatic actions here, with a code the manager issued. */
export const MaintenanceRequest = z.object({
  reason: Reason,
  minutes: z.number().int().min(5).max(480),
  /** Maintenance code from the manager (signed by its command key, for this agent, time-limited). */
  code: z.string().trim().min(16).max(2000),
});
export type MaintenanceRequest = z.infer<typeof MaintenanceRequest>;

/** POST /v1/response/undo: IT staff reverse a lock, block or disable; needs a maintenance code too. */
export const UndoRequest = z.object({
  commandId: z.string().min(1).max(64),
  code: z.string().trim().min(16).max(2000),
});
export type UndoRequest = z.infer<typeof UndoRequest>;

/** POST /v1/response/restore: IT staff put back files a stopped process damaged; needs a maintenance code. */
export const RestoreFilesRequest = z
  .strictObject({
    /** A protected folder (or one under it), absolute; or all folders of a class. */
    folder: z.string().min(1).max(4_096).optional(),
    folderClass: z.string().min(1).max(32).optional(),
    /** Epoch ms of the first suspicious change. */
    since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    /** Files created since then with one of these extensions are removed. */
    removeCreatedExtensions: z
      .array(z.string().regex(/^\.[A-Za-z0-9_~-]{1,24}$/, 'an extension with its dot, e.g. .locked'))
      .max(16)
      .default([]),
    dryRun: z.boolean().default(false),
    reason: Reason,
    code: z.string().trim().min(16).max(2000),
  })
  .refine((r) => (r.folder === undefined) !== (r.folderClass === undefined), 'give either folder or folderClass');
export type RestoreFilesRequest = z.infer<typeof RestoreFilesRequest>;

/** What a restore did, in counts (never paths: they may name a patient). */
export const RestoreFilesReport = z.object({
  /** Files with a version from before the time that differ now or are gone. */
  changed: z.number().int().min(0),
  restored: z.number().int().min(0),
  failed: z.number().int().min(0),
  removed: z.number().int().min(0),
  keptNew: z.number().int().min(0),
  noEarlierVersion: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  durationMs: z.number().min(0),
  dryRun: z.boolean(),
});
export type RestoreFilesReport = z.infer<typeof RestoreFilesReport>;

/** POST /v1/response/open-sealed: IT staff open a sealed file for the user signed in here; needs a maintenance code. */
export const OpenSealedRequest = z.strictObject({
  /** The absolute path of a `.wwsealed` file in a folder the policy in force names. */
  path: z.string().min(2).max(4_096),
  reason: Reason,
  code: z.string().trim().min(16).max(2000),
});
export type OpenSealedRequest = z.infer<typeof OpenSealedRequest>;

/** Where the clear copy was written (local only: the path never leaves the workstation). */
export const OpenSealedReport = z.object({
  out: z.string().max(4_096),
  policyVersion: z.number().int().min(0),
});
export type OpenSealedReport = z.infer<typeof OpenSealedReport>;

/** What the agent's response side offers the local API (implemented in agent/src/response/). */
export interface ResponseControl {
  status(): ResponseStatus;
  declareBreakGlass(request: BreakGlassRequest): Promise<BreakGlassView>;
  endBreakGlass(): Promise<BreakGlassView>;
  startMaintenance(request: MaintenanceRequest): Promise<MaintenanceView>;
  endMaintenance(): Promise<MaintenanceView>;
  undo(request: UndoRequest): Promise<ResponseActionView>;
  restoreFiles(request: RestoreFilesRequest): Promise<RestoreFilesReport>;
  openSealed(request: OpenSealedRequest): Promise<OpenSealedReport>;
}

/** A refusal the local API turns into 4xx with this message (bad code, unknown command, not undoable). */
export class ResponseControlError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'ResponseControlError';
  }
}
