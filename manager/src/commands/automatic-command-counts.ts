// The count the playbooks' caps ask for (playbooks/automatic-command-count.ts, bound by
// the response wiring): automatic commands stored, so caps hold across a restart.
import { Injectable } from '@nestjs/common';
import { CommandRepository } from './command.repository';

@Injectable()
export class AutomaticCommandCounts {
  constructor(private readonly commands: CommandRepository) {}

  automaticSince(sinceMs: number, unit: string | null): Promise<{ fleet: number; unit: number }> {
    return this.commands.automaticSince(sinceMs, unit);
  }
}
