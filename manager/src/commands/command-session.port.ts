// What an agent's Session stream (grpc/agent-session.grpc.ts) asks of commands/: after
// Hello, send what waits; store a result (and say whether to acknowledge it); audit a
// local action. The edge translates; these decide.
import { Injectable } from '@nestjs/common';
import type { CommandResult, LocalAction } from '@wardwatch/proto';
import { AgentReportsService, type ResultVerdict } from './agent-reports.service';
import { CommandsService } from './commands.service';

@Injectable()
export class CommandSessionPort {
  constructor(
    private readonly commands: CommandsService,
    private readonly reports: AgentReportsService,
  ) {}

  hello(agentId: string, commandKeyIds: readonly string[]): Promise<number> {
    return this.commands.onHello(agentId, commandKeyIds);
  }

  result(agentId: string, result: CommandResult): Promise<ResultVerdict> {
    return this.reports.recordResult(agentId, result);
  }

  localAction(agentId: string, action: LocalAction): Promise<boolean> {
    return this.reports.recordLocalAction(agentId, action);
  }
}
