// Shapes only the manager uses: the route's id, and the proposal a playbook hands over
// (checked again here, since it becomes a row and, once approved, commands).
import { z } from 'zod';

export const ApprovalId = z.string().min(1).max(64);

/** At most this many commands (workstations) in one proposal. */
export const MAX_PROPOSAL_COMMANDS = 500;

const CommandShape = z.looseObject({
  agentId: z.string().min(1).max(64),
  action: z.looseObject({ $case: z.string().min(1).max(64) }),
  reason: z.string().max(500),
});

export const ProposalShape = z.object({
  summary: z.string().trim().min(1).max(1_000),
  commands: z.array(CommandShape).min(1).max(MAX_PROPOSAL_COMMANDS),
  alertId: z.string().min(1).max(64).optional(),
  playbookId: z.string().min(1).max(128),
  playbookVersion: z.number().int().min(0),
  // At most a week: a proposal nobody looks at for longer is stale.
  expiresInSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400),
  twoPersonReason: z.string().trim().min(1).max(500).nullable(),
  requestedBy: z.string().min(1).max(128).optional(),
});
