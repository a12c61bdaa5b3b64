// Hash-based navigation: "#/overview" (the landing page), "#/fleet", "#/events", "#/alerts", "#/alerts/<id>" (one alert's detail),
// "#/incidents", "#/incidents/<id>", "#/fleet/<agent id>" (one workstation's page),
// "#/approvals", "#/actions", "#/audit", "#/integrations". No router dependency; unknown hashes land on the overview.
import { hasPermission, type Permission, type UserRole } from '@wardwatch/shared';

export const pages = [
  'overview',
  'fleet',
  'events',
  'alerts',
  'incidents',
  'approvals',
  'actions',
  'playbooks',
  'policies',
  'privacy',
  'users',
  'audit',
  'integrations',
  'reports',
] as const;
export type Page = (typeof pages)[number];

export const pageTitles: Record<Page, string> = {
  overview: 'Overview',
  fleet: 'Fleet',
  events: 'Events',
  alerts: 'Alerts',
  incidents: 'Incidents',
  approvals: 'Approvals',
  actions: 'Actions',
  playbooks: 'Playbooks',
  policies: 'Policies',
  privacy: 'Re-identify',
  users: 'Users',
  audit: 'Audit',
  integrations: 'Integrations',
  reports: 'Reports',
};

/** Pages only some roles may open; the manager refuses the calls behind them to everyone else. */
const pagePermissions: Partial<Record<Page, Permission>> = {
  playbooks: 'playbooks:manage',
  policies: 'policies:read',
  privacy: 'reidentify',
  users: 'users:manage',
  audit: 'audit:read',
  integrations: 'integrations:manage',
  reports: 'reports:read',
};

export function pagesFor(role: UserRole): Page[] {
  return pages.filter((page) => {
    const needed = pagePermissions[page];
    return needed === undefined || hasPermission(role, needed);
  });
}

export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return pages.find((page) => page === name) ?? 'overview';
}

export function hashFor(page: Page): string {
  return `#/${page}`;
}

/** The alert id of "#/alerts/<id>", or undefined on any other hash. */
export function alertIdFromHash(hash: string): string | undefined {
  return idFromHash('alerts', hash);
}

/** The incident id of "#/incidents/<id>", or undefined on any other hash. */
export function incidentIdFromHash(hash: string): string | undefined {
  return idFromHash('incidents', hash);
}

export function hashForIncident(id: string): string {
  return `#/incidents/${encodeURIComponent(id)}`;
}

/** The agent id of "#/fleet/<id>", or undefined on any other hash. */
export function agentIdFromHash(hash: string): string | undefined {
  return idFromHash('fleet', hash);
}

export function hashForAgent(id: string): string {
  return `#/fleet/${encodeURIComponent(id)}`;
}

function idFromHash(page: 'alerts' | 'incidents' | 'fleet', hash: string): string | undefined {
  const match = new RegExp(`^#\\/?${page}\\/([^/?]{1,192})$`).exec(hash);
  if (!match) return undefined;
  try {
    const id = decodeURIComponent(match[1]);
    return id.length > 0 && id.length <= 64 ? id : undefined;
  } catch {
    return undefined;
  }
}

export function hashForAlert(id: string): string {
  return `#/alerts/${encodeURIComponent(id)}`;
}
