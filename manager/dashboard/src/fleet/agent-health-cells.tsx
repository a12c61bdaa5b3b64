// The fleet table's health columns. Component names, messages and drop reasons
// come from a workstation: they are rendered as text only, and no class name is
// built from them (a state picks from a closed set).
import type { AgentView } from '@wardwatch/shared';
import { componentSummary, dropSummary, failedComponents, formatBytes } from './agent-health-display';
import { formatCount } from '../common/format';

type Health = AgentView['health'];

export function ComponentsCell({ health }: { health: Health }) {
  if (!health) return <span className="muted">no heartbeat yet</span>;
  const failed = failedComponents(health);
  return (
    <div data-testid="agent-components">
      {failed.map((c) => (
        <div key={c.name} className="component-failed" data-testid="agent-component-failed">
          <span className="badge status-revoked">
            <span className="mono">{c.name}</span> failed
          </span>
          {c.message ? <div className="muted component-message">{c.message}</div> : null}
        </div>
      ))}
      <div className="muted">{componentSummary(health)}</div>
    </div>
  );
}

export function DropsCell({ health }: { health: Health }) {
  if (!health) return <span className="muted">—</span>;
  const drops = dropSummary(health);
  if (drops.total === 0)
    return (
      <span className="muted" data-testid="agent-drops">
        0
      </span>
    );
  return (
    <div>
      <span className="badge drops-nonzero" data-testid="agent-drops">
        {formatCount(drops.total)} dropped
      </span>
      <ul className="drop-reasons" data-testid="agent-drop-reasons">
        {drops.top.map((r) => (
          <li key={r.reason}>
            <span className="mono">{r.reason}</span> {formatCount(r.count)}
          </li>
        ))}
        {drops.more > 0 ? <li className="muted">{formatCount(drops.more)} more</li> : null}
      </ul>
    </div>
  );
}

export function QueueCell({ health }: { health: Health }) {
  if (!health) return <span className="muted">—</span>;
  return (
    <span className="queue" data-testid="agent-queue">
      {formatCount(health.queueLength)} <span className="muted">({formatBytes(health.outboxBytes)})</span>
    </span>
  );
}
