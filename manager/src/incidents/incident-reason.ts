// The reason an incident gives, in observed counts (never only the threshold it crossed).
import type { IncidentKind } from '@wardwatch/shared';
import type { Episode } from './incident-tracker';

export interface ReasonFacts {
  kind: IncidentKind;
  subject: string;
  events: number;
  failures: number;
  accountCount: number;
  workstationCount: number;
  /** True when a distinct count stopped at the tracker's cap (then "at least"). */
  capped: { accounts: boolean; workstations: boolean };
  firstSeenMs: number;
  lastSeenMs: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

export function incidentReason(f: ReasonFacts): string {
  const atLeast = (capped: boolean) => (capped ? 'at least ' : '');
  const accounts = atLeast(f.capped.accounts) + plural(f.accountCount, 'account', 'accounts');
  const workstations = atLeast(f.capped.workstations) + plural(f.workstationCount, 'workstation', 'workstations');
  const between = `between ${utc(f.firstSeenMs)} and ${utc(f.lastSeenMs)}`;
  if (f.kind === 'source_failed_logons')
    return `${plural(f.failures, 'failed logon', 'failed logons')} against ${accounts} on ${workstations} from ${f.subject} ${between}`;
  const logons = f.events - f.failures;
  return (
    `account ${f.subject} on ${workstations} ` +
    `(${plural(logons, 'logon', 'logons')}, ${plural(f.failures, 'failed logon', 'failed logons')}) ${between}`
  );
}

/** The reason of a tracked episode; a distinct count at the tracker's cap `maxDistinct` reads "at least". */
export function episodeReason(episode: Episode, maxDistinct: number): string {
  return incidentReason({
    ...episode,
    accountCount: episode.accounts.size,
    workstationCount: episode.workstations.size,
    capped: {
      accounts: episode.accounts.size >= maxDistinct,
      workstations: episode.workstations.size >= maxDistinct,
    },
  });
}
