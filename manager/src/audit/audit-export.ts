// The filtered audit view as a file: NDJSON (one row per line, as the API shows it) or
// CSV. CSV cells that a spreadsheet would run as a formula (= + - @, tab, CR first)
// are prefixed with a quote mark, since actors and targets can come from agents.
import type { AuditRow } from './audit-chain';

const CSV_COLUMNS = ['seq', 'timeMs', 'time', 'actor', 'action', 'target', 'details', 'prevHash', 'hash'] as const;

export function toNdjson(rows: readonly AuditRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

export function toCsv(rows: readonly AuditRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const cells = [
      String(row.seq),
      String(row.timeMs),
      new Date(row.timeMs).toISOString(),
      row.actor,
      row.action,
      row.target,
      JSON.stringify(row.details),
      row.prevHash,
      row.hash,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
