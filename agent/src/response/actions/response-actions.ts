// What the agent can do to the workstation in response to a verified command: the seam
// between deciding (response/, which verifies, guards and records) and doing (the
// per-OS actions under actions/linux|windows|macos). Every action can be asked for a
// dry run, which changes nothing and says what would have been done.

/** A local account a command names (resolved from its pseudonym on the workstation). */
export interface LocalAccount {
  name: string;
  uid: number;
}

/** A process as seen at one moment; start time guards against a reused pid. */
export interface ProcessRef {
  pid: number;
  /** Clock ticks after boot (/proc/PID/stat field 22); 0 when unknown (not checked). */
  startTime: number;
  executable?: string;
}

/** What a reversible action leaves behind so that it can be undone (by command, by IT staff, or when it expires). */
export interface UndoRecord {
  kind: 'unblock_removable' | 'enable_account' | 'unlock';
  /** Plain data the action needs to put things back (e.g. the account's previous expiry). */
  data: Record<string, string | number | boolean>;
  /** Undone by itself at this time (ms since epoch); null = only when asked. */
  expiresAtMs: number | null;
}

export interface ActionOutcome {
  ok: boolean;
  /** Plain words for the manager and the tray; no clear user names or paths of patient data. */
  message: string;
  /** Small facts for the result (counts, pids, what was run in a dry run). */
  details: Record<string, unknown>;
  /** Present when the action changed something that can be reversed. */
  undo?: UndoRecord;
}

export interface ActionOptions {
  dryRun: boolean;
}

export interface ResponseActions {
  /** Ends every session of the account (or the one session id). */
  revokeSession(target: { account?: LocalAccount; sessionId?: string }, options: ActionOptions): Promise<ActionOutcome>;
  /** Locks the screen of the account's sessions (every graphical session when no account). */
  lockScreen(target: { account?: LocalAccount; sessionId?: string }, options: ActionOptions): Promise<ActionOutcome>;
  /** Stops the processes and every descendant, a reused pid excepted. */
  killProcessTree(targets: ProcessRef[], options: ActionOptions): Promise<ActionOutcome>;
  /** Blocks writes to removable media, until undone or for durationSeconds. */
  blockRemovable(durationSeconds: number, options: ActionOptions): Promise<ActionOutcome>;
  /** Disables the account, until undone or for durationSeconds. */
  disableAccount(account: LocalAccount, durationSeconds: number, options: ActionOptions): Promise<ActionOutcome>;
  /** Processes, sessions, mounts: a bounded snapshot for the investigation. */
  collectDiagnostics(options: ActionOptions): Promise<ActionOutcome>;
  /** Reverses what an earlier action left in its UndoRecord. */
  undo(record: UndoRecord, options: ActionOptions): Promise<ActionOutcome>;
}

/** Finds the processes writing in the given folders now, where no audit daemon tells. */
export interface ProcessFinder {
  writersIn(folders: string[]): Promise<ProcessRef[]>;
}
