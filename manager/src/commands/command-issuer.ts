// The seam between deciding a response (playbooks/, approvals/, a person in the API)
// and sending it (commands/, which signs, queues for an offline agent, delivers down the
// Session stream and records the result). Deciders depend on this, not on the queue.
import type { CommandPayload } from '@wardwatch/proto';

/** The action part of a command, as in the contract's `CommandPayload.action`. */
export type CommandAction = NonNullable<CommandPayload['action']>;

/** Who or what decided a command, kept with it and in the audit trail. */
export interface CommandDecision {
  /** 'playbook' (automatic), 'approval' (a person approved a playbook's proposal) or 'user' (a person asked). */
  source: 'playbook' | 'approval' | 'user';
  /** User id of the person, when a person decided or approved. */
  actorId?: string;
  playbookId?: string;
  playbookVersion?: number;
  alertId?: string;
  score?: number;
  ruleIds?: string[];
  modelVersion?: string;
}

export interface IssueCommandRequest {
  agentId: string;
  action: CommandAction;
  /** Shown to the workstation's user with a warning; no names or paths. */
  reason: string;
  /** Countdown before a session is revoked or locked; 0 = at once. */
  warningSeconds: number;
  /** Decided without a person: the agent defers it under break-glass or maintenance. */
  automatic: boolean;
  dryRun: boolean;
  /** The command is dropped (never sent) when the agent has not taken it by then. */
  expiresInSeconds: number;
  decision: CommandDecision;
}

export interface IssuedCommand {
  commandId: string;
  /** 'sent' when the agent's stream was up, 'queued' when it waits for the agent. */
  state: 'sent' | 'queued';
}

export interface CommandIssuer {
  issue(request: IssueCommandRequest): Promise<IssuedCommand>;
}

/** Nest injection token for the CommandIssuer that commands/ provides. */
export const COMMAND_ISSUER = Symbol('CommandIssuer');
