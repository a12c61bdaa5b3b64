// The Fleet page's policy column: the tier assigned (pinned or not), the compliance the
// agent last reported and why it falls short, why it holds that tier (pin, its own risk
// or its unit's); admins pin a tier and mark canaries (which get each new version first) here.
import type { AgentPolicyView } from '@wardwatch/shared';
import { useState } from 'react';
import { errorMessage, type ApiClient } from '../api/api-client';
import { tierReason } from './tier-reason';

const UNPINNED = '';

export function AgentPolicyCell({
  api,
  policy,
  tiers,
  mayPin,
  onSaved,
}: {
  api: ApiClient;
  policy: AgentPolicyView | undefined;
  tiers: string[];
  mayPin: boolean;
  onSaved: () => void;
}) {
  const [error, setError] = useState<string | undefined>();
  if (!policy) return <span className="muted">—</span>;
  const pin = (tier: string) => {
    setError(undefined);
    api
      .pinPolicyTier(policy.agentId, tier === UNPINNED ? null : tier)
      .then(() => onSaved())
      .catch((caught: unknown) => setError(errorMessage(caught)));
  };
  const markCanary = (canary: boolean) => {
    setError(undefined);
    api
      .setAgentCanary(policy.agentId, canary)
      .then(() => onSaved())
      .catch((caught: unknown) => setError(errorMessage(caught)));
  };
  return (
    <div data-testid="agent-policy">
      <span className="strong" data-testid="agent-policy-tier">
        {policy.tier}
      </span>
      {policy.pinnedTier ? <span className="muted"> (pinned)</span> : null}{' '}
      {policy.canary ? (
        <span className="badge" data-testid="agent-policy-canary">
          canary
        </span>
      ) : null}{' '}
      <span className={`badge compliance-${policy.status}`} data-testid="agent-policy-status">
        {policy.status.replace('_', ' ')}
      </span>
      {tierReason(policy) ? (
        <div className="muted" data-testid="agent-policy-reason">
          {tierReason(policy)}
        </div>
      ) : null}
      {policy.problems.length > 0 ? (
        <ul className="muted compact" data-testid="agent-policy-problems">
          {policy.problems.slice(0, 4).map((problem, i) => (
            <li key={i}>{problem}</li>
          ))}
        </ul>
      ) : null}
      {mayPin ? (
        <label>
          <span className="visually-hidden">Pin tier</span>
          <select
            value={policy.pinnedTier ?? UNPINNED}
            onChange={(e) => pin(e.target.value)}
            data-testid="agent-policy-pin"
          >
            <option value={UNPINNED}>not pinned</option>
            {tiers.map((tier) => (
              <option key={tier} value={tier}>
                pin {tier}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {mayPin ? (
        <label className="canary-toggle">
          <input
            type="checkbox"
            checked={policy.canary}
            onChange={(e) => markCanary(e.currentTarget.checked)}
            data-testid="agent-policy-canary-toggle"
          />{' '}
          canary
        </label>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
