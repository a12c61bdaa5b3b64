// Hash-based navigation: "#/fleet", "#/events", "#/alerts", "#/alerts/<id>" (one alert's detail),
// "#/approvals", "#/actions", "#/audit". No router dependency; unknown hashes land on the fleet page.
import { hasPermission, type Permission, type UserRole } from '@wardwatch/shared';

export const pages = [
  'fleet',
  'events',
  'alerts',
  'approvals',
  'actions',
  'playbooks',
  'privacy',
  'users',
  'audit',
] as const;
export type Page = (typeof pages)[number];

export const pageTitles: Record<Page, string> = {
  fleet: 'Fleet',
  events: 'Events',
  alerts: 'Alerts',
  approvals: 'Approvals',
  actions: 'Actions',
  playbooks: 'Playbooks',
  privacy: 'Re-identify',
  users: 'Users',
  audit: 'Audit',
};

/** Pages only some roles may open; the manager refuses the calls behind them to everyone else. */
const pagePermissions: Partial<Record<Page, Permission>> = {
  playbooks: 'playbooks:manage',
  privacy: 'reidentify',
  users: 'users:manage',
  audit: 'audit:read',
};

export function pagesFor(role: UserRole): Page[] {
  return pages.filter((page) => {
    const needed = pagePermissions[page];
    return needed === undefined || hasPermission(role, needed);
  });
}

export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return pages.find((page) => page === name) ?? 'fleet';
}

export function hashFor(page: Page): string {
  return `#/${page}`;
}

/** The alert id of "#/alerts/<id>", or undefined on any other hash. */
export function alertIdFromHash(hash: string): string | undefined {
  const match = /^#\/?alerts\/([^/?]{1,192})$/.exec(hash);
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
