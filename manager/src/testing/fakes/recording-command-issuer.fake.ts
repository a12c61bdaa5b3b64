// A CommandIssuer that records what it was asked to issue and answers with ids
// cmd-1, cmd-2, …; told to, it refuses commands for one agent (to test a failed issue).
import type { CommandIssuer, IssueCommandRequest, IssuedCommand } from '../../commands/command-issuer';

export class RecordingCommandIssuer implements CommandIssuer {
  readonly issued: (IssueCommandRequest & { commandId: string })[] = [];
  /** Commands for this agent are refused with an error. */
  refuseAgent: string | undefined;

  issue(request: IssueCommandRequest): Promise<IssuedCommand> {
    if (request.agentId === this.refuseAgent) return Promise.reject(new Error(`agent ${request.agentId} refused`));
    const commandId = `cmd-${this.issued.length + 1}`;
    this.issued.push({ ...structuredClone(request), commandId });
    return Promise.resolve({ commandId, state: 'queued' });
  }
}
