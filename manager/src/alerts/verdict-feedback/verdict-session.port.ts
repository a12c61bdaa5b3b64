// What an agent's Session stream (grpc/agent-session.grpc.ts) asks of verdict feedback: after
// Hello, send the verdicts of the last 30 days on its scores. The edge translates; this decides.
import { Injectable } from '@nestjs/common';
import { VerdictFeedbackService } from './verdict-feedback.service';

@Injectable()
export class VerdictSessionPort {
  constructor(private readonly feedback: VerdictFeedbackService) {}

  hello(agentId: string): Promise<number> {
    return this.feedback.hello(agentId);
  }
}
