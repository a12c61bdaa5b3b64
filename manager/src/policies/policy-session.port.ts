// What an agent's Session stream (grpc/agent-session.grpc.ts) asks of policies/: after
// Hello, send the assigned policy if the agent holds another; store a compliance report.
import { Injectable } from '@nestjs/common';
import type { PolicyCompliance } from '@wardwatch/proto';
import { AgentPolicyService } from './agent-policy.service';

@Injectable()
export class PolicySessionPort {
  constructor(private readonly agentPolicies: AgentPolicyService) {}

  hello(agentId: string, appliedRevision: number, commandKeyIds: readonly string[]): Promise<boolean> {
    return this.agentPolicies.hello(agentId, appliedRevision, commandKeyIds);
  }

  compliance(agentId: string, report: PolicyCompliance): Promise<{ stored: boolean; reason?: string }> {
    return this.agentPolicies.recordCompliance(agentId, report);
  }
}
