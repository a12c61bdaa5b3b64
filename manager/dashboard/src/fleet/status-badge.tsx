import type { AgentView } from '@wardwatch/shared';

const labels: Record<AgentView['status'], string> = { online: 'online', offline: 'offline', revoked: 'revoked' };

/** The class name comes from the schema's closed set of statuses, never from free text. */
export function StatusBadge({ status }: { status: AgentView['status'] }) {
  return (
    <span className={`badge status-${status}`} data-testid="agent-status">
      {labels[status]}
    </span>
  );
}
