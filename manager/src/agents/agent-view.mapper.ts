import type { AgentHealthView, AgentView } from '@wardwatch/shared';
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
    health: toHealthView(agent),
    tags: agent.tags ?? [],
    unit: agent.unit ?? null,
  };
}

/** Stored only within bounds (agent-health.schema.ts); null until a heartbeat was. */
function toHealthView(agent: AgentEntity): AgentHealthView | null {
  if (agent.heartbeatAt === null || agent.heartbeatAt === undefined) return null;
  const stats = agent.stats ?? {};
  const stat = (name: string) => stats[name] ?? 0;
  return {
    reportedAt: agent.heartbeatAt,
    eventsSent: stat('eventsSent'),
    eventsDropped: stat('eventsDropped'),
    queueLength: stat('queueLength'),
    outboxBytes: stat('outboxBytes'),
    cpuPercent: stat('cpuPercent'),
    rssBytes: stat('rssBytes'),
    droppedByReason: agent.droppedByReason ?? {},
    components: agent.components ?? [],
    reads: agent.reads ?? null,
  };
}
