// Hash-based navigation: "#/fleet", "#/events", "#/alerts". No router dependency;
// unknown hashes land on the fleet page.

export const pages = ['fleet', 'events', 'alerts'] as const;
export type Page = (typeof pages)[number];

export const pageTitles: Record<Page, string> = { fleet: 'Fleet', events: 'Events', alerts: 'Alerts' };

export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return pages.find((page) => page === name) ?? 'fleet';
}

export function hashFor(page: Page): string {
  return `#/${page}`;
}
