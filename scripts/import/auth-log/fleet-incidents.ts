// The incidents the manager would open over several workstations' auth logs
// (issue #10, item 7): the replayed logins fed, in time order, to the manager's
// own IncidentTracker with its default thresholds, flushed on the event clock as
// the manager flushes on its own (every 30 s), so one source spraying many
// accounts on many workstations is one incident, as it would be live.
import type { Event } from '@wardwatch/proto';
import type { EventView } from '@wardwatch/shared';
import { parseConfig } from '../../../manager/src/config/config.schema';
import { episodeReason } from '../../../manager/src/incidents/incident-reason';
import { IncidentTracker, type Episode } from '../../../manager/src/incidents/incident-tracker';
import { accountOf } from './replay-auth-log';

/** One workstation's replayed log. */
export interface WorkstationLog {
  host: string;
  events: readonly Event[];
}

export interface FleetIncident {
  episode: Episode;
  reason: string;
}

/** The manager's defaults (no environment): thresholds, quiet gaps, flush interval and caps. */
export const DEFAULT_INCIDENTS = parseConfig({}, process.cwd()).incidents;

// The tracker keeps names of the pseudonym alphabet only (live, users arrive as tokens).
const asSubject = (name: string) => name.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 128);

function toView(host: string, event: Event): EventView | null {
  if (event.detail?.$case !== 'login') return null;
  const l = event.detail.value;
  return {
    id: event.id,
    agentId: host,
    hostname: host,
    timeMs: event.timeMs,
    receivedMs: event.timeMs,
    severity: 'info',
    user: asSubject(accountOf(event)),
    category: 'login',
    action: l.action,
    detail: { sourceIp: l.sourceIp, sourceHost: l.sourceHost },
  };
}

export function fleetIncidents(logs: readonly WorkstationLog[], incidents = DEFAULT_INCIDENTS): FleetIncident[] {
  const tracker = new IncidentTracker(incidents.limits);
  const views = logs
    .flatMap(({ host, events }) => events.map((event) => toView(host, event)))
    .filter((view): view is EventView => view !== null)
    .sort((a, b) => a.timeMs - b.timeMs);
  const found = new Set<Episode>();
  let nextFlush = Number.NEGATIVE_INFINITY;
  for (const view of views) {
    if (view.timeMs >= nextFlush) {
      for (const episode of tracker.takeChanged(view.timeMs)) found.add(episode);
      nextFlush = view.timeMs + incidents.flushIntervalMs;
    }
    tracker.observe([view], view.timeMs);
  }
  for (const episode of tracker.takeChanged(Number.MAX_SAFE_INTEGER)) found.add(episode);
  const { maxDistinct } = tracker.listLimit;
  return [...found]
    .sort((a, b) => a.firstSeenMs - b.firstSeenMs)
    .map((episode) => ({ episode, reason: episodeReason(episode, maxDistinct) }));
}

const SHOWN_ACCOUNTS = 10;

export function formatIncidents(found: readonly FleetIncident[], workstations: number): string {
  const t = DEFAULT_INCIDENTS.limits;
  const head = `incidents the manager would open over ${workstations} workstation${workstations === 1 ? '' : 's'} (its defaults: a source with ${t.sourceFailedLogons.minAccounts} accounts, ${t.sourceFailedLogons.minFailures} failed logons or ${t.sourceFailedLogons.minWorkstations} workstations; an account on ${t.accountCrossHost.minWorkstations} workstations): ${found.length}`;
  return [
    head,
    ...found.map(({ episode, reason }) => {
      const accounts = [...episode.accounts].sort();
      const more = accounts.length > SHOWN_ACCOUNTS ? `, … ${accounts.length - SHOWN_ACCOUNTS} more` : '';
      const list =
        episode.kind === 'source_failed_logons' ? ` [${accounts.slice(0, SHOWN_ACCOUNTS).join(', ')}${more}]` : '';
      return `  ${episode.kind}: ${reason}${list}`;
    }),
  ].join('\n');
}
