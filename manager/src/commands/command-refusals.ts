// Counts of what the manager ignored or cut in agents' command results and local
// actions: a hostile or broken workstation shows up here (and in Prometheus as
// wardwatch_response_command_refusals_total), never in the command's state.
import { Injectable, Optional } from '@nestjs/common';
import { ResponseMetrics } from '../metrics/response-metrics';

export const commandRefusals = [
  /** A result for a command not sent to this agent (another agent's, unknown, never sent). */
  'foreign_result',
  'unknown_outcome',
  'oversized_id',
  'oversized_message',
  'bad_details',
  'bad_local_action',
  'duplicate_local_action',
  /** A local action's user that is neither a user token nor an OS account (stored as ''). */
  'clear_user',
  'bad_key_ids',
] as const;

export type CommandRefusal = (typeof commandRefusals)[number];

@Injectable()
export class CommandRefusals {
  private readonly counts = new Map<CommandRefusal, number>();

  constructor(@Optional() private readonly metrics?: ResponseMetrics) {
    metrics?.declareRefusals(commandRefusals);
  }

  count(reason: CommandRefusal): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.metrics?.refused(reason);
  }

  get(reason: CommandRefusal): number {
    return this.counts.get(reason) ?? 0;
  }

  snapshot(): Partial<Record<CommandRefusal, number>> {
    return Object.fromEntries(this.counts);
  }
}
