// What the fleet table says about an agent's last heartbeat: the components that
// failed, its drops (largest reasons first) and its queue. Pure, so it is tested
// without a browser; the cells render the results as text.
import { readAudit, type AgentHealthView, type ComponentHealthView } from '@wardwatch/shared';

/** Reasons listed under a drop count; the rest are summed as "more". */
export const SHOWN_DROP_REASONS = 3;

export interface DropSummary {
  total: number;
  top: { reason: string; count: number }[];
  /** Drops under reasons not listed in `top`. */
  more: number;
}

export function failedComponents(health: AgentHealthView): ComponentHealthView[] {
  return health.components.filter((c) => c.state === 'failed');
}

export function componentSummary(health: AgentHealthView): string {
  const running = health.components.filter((c) => c.state === 'running').length;
  const stopped = health.components.filter((c) => c.state === 'stopped').length;
  if (health.components.length === 0) return 'none reported';
  return [`${running} running`, ...(stopped > 0 ? [`${stopped} stopped`] : [])].join(', ');
}

/** Every reason with drops, largest first (ties by name): the agent page lists them all. */
export function allDrops(health: AgentHealthView): { reason: string; count: number }[] {
  return Object.entries(health.droppedByReason)
    .map(([reason, count]) => ({ reason, count }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export function dropSummary(health: AgentHealthView): DropSummary {
  const reasons = allDrops(health);
  const top = reasons.slice(0, SHOWN_DROP_REASONS);
  const listed = reasons.reduce((sum, r) => sum + r.count, 0);
  // The agent's total counts every drop; the map may fold small ones into `other`.
  const total = Math.max(health.eventsDropped, listed);
  return { total, top, more: total - top.reduce((sum, r) => sum + r.count, 0) };
}

const AUDIT_WORDS = {
  audited: 'audited',
  partial: 'audited in some patient-data folders only',
  not_audited: 'not audited',
  unknown: 'not known',
} as const;

/** Whether the workstation audits reads of patient files, why not, and what it counted. */
export function readsText(health: AgentHealthView | null | undefined): string {
  const audit = readAudit(health ? health.components : null);
  const counts = health?.reads
    ? `${health.reads.reported.toLocaleString('en')} reported of ${health.reads.seen.toLocaleString('en')} seen`
    : '';
  return [AUDIT_WORDS[audit.state], audit.detail, counts].filter((part) => part !== '').join(' · ');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
