// What playbooks ask before an automatic revoke, lock or account disable: is the
// workstation under break-glass (a clinician declared emergency access) or in
// maintenance (IT paused automatic actions)? commands/ knows; the lead wires its
// answer to this token. The agent enforces both itself too: this keeps the manager
// from even sending such a command, and turns it into an approval request instead.
export interface ResponseGuardState {
  isUnderBreakGlass(agentId: string): Promise<boolean> | boolean;
  isInMaintenance(agentId: string): Promise<boolean> | boolean;
}

/** Nest injection token for the ResponseGuardState that commands/ provides. */
export const RESPONSE_GUARD_STATE = Symbol('ResponseGuardState');
