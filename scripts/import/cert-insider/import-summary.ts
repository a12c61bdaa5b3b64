// What an import did, counted as it goes and printed at the end: events per kind,
// rows skipped per reason, users, and the labels that landed (events and
// user-days per scenario) or did not (a labelled email is not an event).
import { PORTABLE_KINDS, type PortableEvent, type PortableKind } from '@wardwatch/shared';
import type { Answers } from './answers';
import { CERT_TABLES, type CertTable, type MapSkip } from './cert-rows';
import type { Directory } from './directory';

/** Why a row gave no event: the mapping's reasons, plus the period and the schema. */
export type SkipReason = 'outside_period' | MapSkip | 'invalid';
/** The order the summary prints them in, zeros included, so that two runs line up. */
export const SKIP_REASONS: readonly SkipReason[] = [
  'outside_period',
  'email',
  'file_open',
  'bad_row',
  'bad_url',
  'unknown_activity',
  'invalid',
];

export type TableState = { state: 'read'; rows: number; badRows: number } | { state: 'absent' | 'skipped' };

export interface ImportSummary {
  releaseDir: string;
  period: { from?: number; until?: number };
  tables: Partial<Record<CertTable, TableState>>;
  written: Map<PortableKind, number>;
  skipped: Map<SkipReason, number>;
  users: Set<string>;
  /** Users written who had directory facts. */
  usersWithFacts: Set<string>;
  labelled: Map<string, { events: number; userDays: Set<string> }>;
  labelledNotWritten: Map<SkipReason, number>;
  /** Answer keys met in the tables read, written or not. */
  answerKeysSeen: Set<string>;
  directory?: Pick<Directory, 'snapshots' | 'badRows'>;
  answers?: Omit<Answers, 'labels'> & { labelledRows: number };
}

export function emptySummary(releaseDir: string, period: ImportSummary['period']): ImportSummary {
  return {
    releaseDir,
    period,
    tables: {},
    written: new Map(),
    skipped: new Map(),
    users: new Set(),
    usersWithFacts: new Set(),
    labelled: new Map(),
    labelledNotWritten: new Map(),
    answerKeysSeen: new Set(),
  };
}

const add = <K>(counts: Map<K, number>, key: K) => counts.set(key, (counts.get(key) ?? 0) + 1);

export function noteWritten(summary: ImportSummary, event: PortableEvent): void {
  add(summary.written, event.kind);
  summary.users.add(event.user);
  if (event.role !== undefined || event.unit !== undefined) summary.usersWithFacts.add(event.user);
  if (event.label === undefined) return;
  const label = summary.labelled.get(event.label) ?? { events: 0, userDays: new Set<string>() };
  label.events += 1;
  // A user-day by the UTC date, which is the data set's own date (times are read as UTC).
  label.userDays.add(`${event.user}\u0000${new Date(event.time).toISOString().slice(0, 10)}`);
  summary.labelled.set(event.label, label);
}

export function noteSkipped(summary: ImportSummary, reason: SkipReason, label: string | undefined): void {
  add(summary.skipped, reason);
  if (label !== undefined) add(summary.labelledNotWritten, reason);
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const counts = (map: ReadonlyMap<string, number>) => [...map].map(([key, n]) => `${key} ${n}`).join(', ') || 'none';

export function formatSummary(s: ImportSummary): string {
  const total = [...s.written.values()].reduce((a, b) => a + b, 0);
  const tables = CERT_TABLES.map((table) => {
    const t = s.tables[table];
    return t?.state === 'read'
      ? `${table}.csv ${t.rows} rows (${t.badRows} bad)`
      : `${table}.csv ${t?.state ?? 'not read'}`;
  });
  const skipped = SKIP_REASONS.map((reason) => `${reason} ${s.skipped.get(reason) ?? 0}`).join(', ');
  const facts = s.directory
    ? `${s.usersWithFacts.size} with a role or unit from ${s.directory.snapshots.length} LDAP snapshots (${s.directory.badRows} bad rows)`
    : 'no LDAP folder, so no roles or units';
  const { from, until } = s.period;
  const lines = [
    `CERT import of ${s.releaseDir}`,
    `  tables: ${tables.join(', ')}`,
    `  period: ${from === undefined ? 'all' : `${day(from)} to ${until === undefined ? 'the end' : `${day(until)} (exclusive)`}`}`,
    `  events written: ${total} (${PORTABLE_KINDS.filter((k) => s.written.has(k))
      .map((k) => `${k} ${s.written.get(k)}`)
      .join(', ')})`,
    `  rows skipped: ${skipped}`,
    `  users: ${s.users.size}; ${facts}`,
  ];
  const a = s.answers;
  if (a) {
    lines.push(
      `  answers: dataset ${a.dataset}, insiders ${a.insiders}, labelled rows ${a.labelledRows}, ${s.answerKeysSeen.size} of them met in the tables read; ${a.badLines} bad lines; ${a.missingFiles.length} details files missing${a.missingFiles.length ? `: ${a.missingFiles.slice(0, 5).join(', ')}` : ''}`,
    );
    const labels = [...s.labelled]
      .sort(([x], [y]) => x.localeCompare(y, 'en', { numeric: true }))
      .map(([label, l]) => `${label} ${l.events} events, ${l.userDays.size} user-days`);
    lines.push(`  labelled: ${labels.join('; ') || 'none'}`);
    lines.push(`  labelled rows not written: ${counts(s.labelledNotWritten)}`);
  } else lines.push('  answers: none given (no labels)');
  lines.push(
    '  times are the data set’s local clock written as UTC: score with utcOffsetMinutes 0 (the default); the file is in table order, not time order',
  );
  return lines.join('\n');
}
