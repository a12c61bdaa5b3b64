// One workstation: what it is (host, OS, agent version), whether it is healthy (last seen,
// queue, collectors and every drop reason), its policy tier and compliance, and its daily
// risk with the forecast. Everything but the numbers comes from the workstation and is
// rendered as text; no class name or URL is built from it.
import {
  hasPermission,
  type AgentPolicyList,
  type AgentView,
  type CurrentUser,
  type PolicyList,
} from '@wardwatch/shared';
import { useCallback } from 'react';
import type { ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { formatAbsolute, formatCount, formatFigure } from '../common/format';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ColumnHeads } from '../common/column-heads';
import { hashFor } from '../navigation/route';
import { AgentPolicyCell } from '../policies/agent-policy-cell';
import { AgentRiskTrend } from './agent-risk-trend';
import { allDrops, formatBytes, readsText } from './agent-health-display';
import { RevokeAgentButton } from './revoke-agent-button';
import { StatusBadge } from './status-badge';
import './agent-page.css';

export const AGENT_REFRESH_MS = 5000;

export function AgentPage({ api, user, agentId }: { api: ApiClient; user: CurrentUser; agentId: string }) {
  const load = useCallback(() => api.agent(agentId), [api, agentId]);
  const { data: agent, error, refresh } = usePolling<AgentView>(load, AGENT_REFRESH_MS);
  const now = useNow();
  return (
    <section aria-labelledby="agent-title" className="agent-page">
      <p>
        <a href={hashFor('fleet')} data-testid="agent-back">
          ← Fleet
        </a>
      </p>
      <div className="page-head">
        <h1 id="agent-title" data-testid="agent-title">
          {agent ? agent.hostname : 'Workstation'}
        </h1>
        {agent ? <StatusBadge status={agent.status} /> : null}
        {agent && agent.status !== 'revoked' && hasPermission(user.role, 'agents:manage') ? (
          <RevokeAgentButton api={api} agent={agent} onRevoked={refresh} />
        ) : null}
      </div>
      <ErrorBanner message={error} />
      {agent ? (
        <div className="agent-grid">
          <Identity agent={agent} now={now} />
          <Health agent={agent} now={now} />
          <PolicyPanel api={api} user={user} agentId={agent.id} />
          <Components agent={agent} />
          <Drops agent={agent} />
          <AgentRiskTrend api={api} agentId={agent.id} />
        </div>
      ) : null}
    </section>
  );
}

function Identity({ agent, now }: { agent: AgentView; now: number }) {
  return (
    <section className="panel" aria-labelledby="agent-identity">
      <h2 id="agent-identity">Workstation</h2>
      <dl className="facts" data-testid="agent-identity">
        <dt>Operating system</dt>
        <dd>
          {agent.os} <span className="muted">{agent.osVersion}</span>
        </dd>
        <dt>Agent version</dt>
        <dd className="mono">{agent.version}</dd>
        <dt>Unit</dt>
        <dd>{agent.unit ?? <span className="muted">none</span>}</dd>
        <dt>Tags</dt>
        <dd>{agent.tags && agent.tags.length > 0 ? agent.tags.join(', ') : <span className="muted">none</span>}</dd>
        <dt>Enrolled</dt>
        <dd>
          <TimeCell ms={agent.enrolledAt} now={now} />
        </dd>
        <dt>Agent id</dt>
        <dd className="mono">{agent.id}</dd>
      </dl>
      {agent.identityMismatch ? (
        <p className="badge status-revoked" data-testid="agent-identity-claim">
          Claimed to be {agent.identityMismatch.hostname ?? agent.hostname} ({agent.identityMismatch.os ?? agent.os}),
          not applied
        </p>
      ) : null}
    </section>
  );
}

function Health({ agent, now }: { agent: AgentView; now: number }) {
  const health = agent.health;
  return (
    <section className="panel" aria-labelledby="agent-health">
      <h2 id="agent-health">Health</h2>
      <dl className="facts" data-testid="agent-health">
        <dt>Last seen</dt>
        <dd data-testid="agent-last-seen">
          <TimeCell ms={agent.lastSeenAt} now={now} />
        </dd>
        <dt>Last heartbeat</dt>
        <dd>{health ? formatAbsolute(health.reportedAt) : <span className="muted">none yet</span>}</dd>
        <dt>Queue</dt>
        <dd data-testid="agent-queue-depth">
          {health ? `${formatCount(health.queueLength)} events (${formatBytes(health.outboxBytes)})` : '—'}
        </dd>
        <dt>Sent since start</dt>
        <dd>{health ? formatCount(health.eventsSent) : '—'}</dd>
        <dt>Dropped since start</dt>
        <dd data-testid="agent-dropped-total">{health ? formatCount(health.eventsDropped) : '—'}</dd>
        <dt>CPU and memory</dt>
        <dd>{health ? `${formatFigure(health.cpuPercent)} % · ${formatBytes(health.rssBytes)}` : '—'}</dd>
        <dt>Patient-file reads</dt>
        <dd data-testid="agent-reads">{readsText(health)}</dd>
      </dl>
    </section>
  );
}

function PolicyPanel({ api, user, agentId }: { api: ApiClient; user: CurrentUser; agentId: string }) {
  const mayRead = hasPermission(user.role, 'policies:read');
  const loadPolicies = useCallback(
    () => (mayRead ? api.agentPolicies() : Promise.resolve<AgentPolicyList>({ items: [] })),
    [api, mayRead],
  );
  const policies = usePolling<AgentPolicyList>(loadPolicies, AGENT_REFRESH_MS);
  const loadTiers = useCallback(
    () => (mayRead ? api.policies() : Promise.resolve<PolicyList>({ items: [] })),
    [api, mayRead],
  );
  const tiers = (usePolling<PolicyList>(loadTiers, 60_000).data?.items[0]?.document.tiers ?? []).map((t) => t.id);
  if (!mayRead) return null;
  return (
    <section className="panel" aria-labelledby="agent-policy">
      <h2 id="agent-policy">Policy tier and compliance</h2>
      <ErrorBanner message={policies.error} />
      <div data-testid="agent-policy">
        <AgentPolicyCell
          api={api}
          policy={policies.data?.items.find((p) => p.agentId === agentId)}
          tiers={tiers}
          mayPin={hasPermission(user.role, 'policies:manage')}
          onSaved={policies.refresh}
        />
      </div>
    </section>
  );
}

const stateClass = { running: 'status-online', stopped: 'status-offline', failed: 'status-revoked' } as const;

function Components({ agent }: { agent: AgentView }) {
  const components = agent.health?.components ?? [];
  return (
    <section className="panel wide" aria-labelledby="agent-components">
      <h2 id="agent-components">Collectors and services</h2>
      <div className="table-wrap">
        <table data-testid="agent-component-table">
          <ColumnHeads columns={['Name', 'State', 'Since', 'Message']} />
          <tbody>
            {components.map((c, i) => (
              <tr key={`${i}-${c.name}`} data-testid="agent-component-row">
                <td className="mono" data-testid="agent-component-name">
                  {c.name}
                </td>
                <td>
                  <span className={`badge ${stateClass[c.state]}`}>{c.state}</span>
                </td>
                <td>{c.sinceMs > 0 ? formatAbsolute(c.sinceMs) : <span className="muted">—</span>}</td>
                <td data-testid="agent-component-message">{c.message}</td>
              </tr>
            ))}
            {components.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  {agent.health ? 'None reported.' : 'No heartbeat yet.'}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Drops({ agent }: { agent: AgentView }) {
  const drops = agent.health ? allDrops(agent.health) : [];
  return (
    <section className="panel" aria-labelledby="agent-drops">
      <h2 id="agent-drops">Drops by reason</h2>
      {drops.length === 0 ? (
        <p className="muted" data-testid="agent-no-drops">
          {agent.health ? 'No events dropped since the agent started.' : 'No heartbeat yet.'}
        </p>
      ) : (
        <table data-testid="agent-drop-table">
          <ColumnHeads columns={['Reason', { label: 'Events', numeric: true }]} />
          <tbody>
            {drops.map((d) => (
              <tr key={d.reason} data-testid="agent-drop-row">
                <td className="mono">{d.reason}</td>
                <td className="num">{formatCount(d.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
