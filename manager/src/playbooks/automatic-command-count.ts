// What the caps on automatic actions count: the automatic commands already issued, as
// commands/ stored them, so the caps hold across a restart. commands/ provides it (the
// wiring binds AUTOMATIC_COMMAND_COUNT); playbooks/ never reads the command table itself.
export interface AutomaticCommandCount {
  /** Automatic commands issued at or after `sinceMs`: fleet-wide, and to agents of `unit` (0 when unit is null). */
  automaticSince(sinceMs: number, unit: string | null): Promise<{ fleet: number; unit: number }>;
}

/** Nest injection token for the AutomaticCommandCount that commands/ provides. */
export const AUTOMATIC_COMMAND_COUNT = Symbol('AutomaticCommandCount');
