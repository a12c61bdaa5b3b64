// The fleet: every enrolled workstation, its health and its labels (tags and unit, which
// playbooks match on; editable inline by roles holding `agents:manage`).
import {
  hasPermission,
  type AgentPage,
  type AgentPolicyList,
  type CurrentUser,
  type PolicyList,
} from '@wardwatch/shared';
import { useCallback } from 'react';
import type { ApiClient } from '../api/api-client';
import { ErrorBanner } from '../common/error-banner';
import { TimeCell } from '../common/time-cell';
import { useNow, usePolling } from '../common/use-polling';
import { ComponentsCell, DropsCell, QueueCell } from './agent-health-cells';
import { StatusBadge } from './status-badge';
import { EmptyRow } from '../common/empty-row';
import { AgentPolicyCell } from '../policies/agent-policy-cell';
import { WorkstationLabelsCell } from './workstation-labels-cell';
import { EnrollmentPanel } from './enrollment-panel';
import './agent-page.css';
import './fleet.css';
import { formatTimeOfDay } from '../common/format';
import { ColumnHeads, type Columns } from '../common/column-heads';
import { hashForAgent } from '../navigation/route';

export const FLEET_REFRESH_MS = 5000;

export function FleetPage({ api, user }: { api: ApiClient; user: CurrentUser }) {
  const load = useCallback(() => api.agents(), [api]);
  const { data, error, loading, updatedAt, refresh } = usePolling<AgentPage>(load, FLEET_REFRESH_MS);
  const mayEditLabels = hasPermission(user.role, 'agents:manage');
  // The policy column for roles that may read policies (the manager refuses the others).
  const mayReadPolicies = hasPermission(user.role, 'policies:read');
  const loadPolicies = useCallback(
    () => (mayReadPolicies ? api.agentPolicies() : Promise.resolve<AgentPolicyList>({ items: [] })),
    [api, mayReadPolicies],
  );
  const policies = usePolling<AgentPolicyList>(loadPolicies, FLEET_REFRESH_MS);
  const loadTiers = useCallback(
    () => (mayReadPolicies ? api.policies() : Promise.resolve<PolicyList>({ items: [] })),
    [api, mayReadPolicies],
  );
  const tiers = (usePolling<PolicyList>(loadTiers, 60_000).data?.items[0]?.document.tiers ?? []).map((t) => t.id);
  const policyOf = (agentId: string) => policies.data?.items.find((p) => p.agentId === agentId);
  const now = useNow();
  const agents = data?.items ?? [];
  const online = agents.filter((agent) => agent.status === 'online').length;

  const columns: Columns = [
    'Hostname',
    'OS',
    'Agent version',
    'Tags and unit',
    'Status',
    mayReadPolicies && 'Policy tier and compliance',
    'Components',
    'Queue',
    'Drops since start',
    'Last seen',
    'Enrolled',
  ];
  return (
    <section aria-labelledby="fleet-title">
      <div className="page-head">
        <h1 id="fleet-title">Fleet</h1>
        <p className="muted" aria-live="polite">
          {data ? `${online} of ${agents.length} online` : loading ? 'Loading…' : ''}
          {updatedAt ? ` · updated ${formatTimeOfDay(updatedAt)}` : ''}
        </p>
      </div>
      <ErrorBanner message={error} />
      <div className="table-wrap">
        <table>
          <ColumnHeads columns={columns} />
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.id} data-testid="agent-row" data-agent-id={agent.id}>
                <td>
                  <a href={hashForAgent(agent.id)} className="strong" data-testid="agent-hostname">
                    {agent.hostname}
                  </a>
                  {agent.identityMismatch ? (
                    <div className="badge status-revoked" data-testid="agent-identity-claim">
                      claimed to be {agent.identityMismatch.hostname ?? agent.hostname} (
                      {agent.identityMismatch.os ?? agent.os}), not applied
                    </div>
                  ) : null}
                </td>
                <td>
                  {agent.os} <span className="muted">{agent.osVersion}</span>
                </td>
                <td className="mono">{agent.version}</td>
                <td>
                  <WorkstationLabelsCell api={api} agent={agent} mayEdit={mayEditLabels} onSaved={refresh} />
                </td>
                <td>
                  <StatusBadge status={agent.status} />
                </td>
                {mayReadPolicies ? (
                  <td>
                    <AgentPolicyCell
                      api={api}
                      policy={policyOf(agent.id)}
                      tiers={tiers}
                      mayPin={hasPermission(user.role, 'policies:manage')}
                      onSaved={policies.refresh}
                    />
                  </td>
                ) : null}
                <td>
                  <ComponentsCell health={agent.health} />
                </td>
                <td className="num">
                  <QueueCell health={agent.health} />
                </td>
                <td>
                  <DropsCell health={agent.health} />
                </td>
                <td>
                  <TimeCell ms={agent.lastSeenAt} now={now} />
                </td>
                <td>
                  <TimeCell ms={agent.enrolledAt} now={now} />
                </td>
              </tr>
            ))}
            <EmptyRow show={Boolean(data) && agents.length === 0} columns={columns}>
              No agents enrolled yet. Create an enrollment token and start an agent with it.
            </EmptyRow>
          </tbody>
        </table>
      </div>
      {data?.nextCursor ? <p className="muted">More agents exist than this page shows.</p> : null}
      {mayEditLabels ? <EnrollmentPanel api={api} /> : null}
    </section>
  );
}
