// Placeholder for COMMAND_ISSUER while this build has no commands/ module: an approved
// proposal is then marked `failed` with this message (audited `approval.issue_failed`),
// never silently treated as sent. Replaced by commands/'s CommandIssuer when it is wired.
import type { CommandIssuer, IssuedCommand } from '../commands/command-issuer';

export const COMMANDS_UNAVAILABLE = 'response commands not available in this build';

export class UnavailableCommandIssuer implements CommandIssuer {
  issue(): Promise<IssuedCommand> {
    return Promise.reject(new Error(COMMANDS_UNAVAILABLE));
  }
}
