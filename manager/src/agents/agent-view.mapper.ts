import type { AgentView } from '@wardwatch/shared';
import type { AgentEntity } from './agent.entity';

export function toAgentView(agent: AgentEntity): AgentView {
  return {
    id: agent.id,
    hostname: agent.hostname,
    os: agent.os,
    osVersion: agent.osVersion,
    version: agent.version,
    status: agent.status,
    enrolledAt: agent.enrolledAt,
    lastSeenAt: agent.lastSeenAt,
    // A Hello claimed another host name or OS than enrollment fixed: never applied, shown here.
    identityMismatch:
      agent.identityMismatchAt === null || agent.identityMismatchAt === undefined
        ? null
        : { hostname: agent.claimedHostname ?? null, os: agent.claimedOs ?? null, since: agent.identityMismatchAt },
  };
}
