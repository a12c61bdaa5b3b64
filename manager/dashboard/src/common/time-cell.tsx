import { formatAbsolute, formatRelative } from './format';

/** Relative time with the absolute time on hover; `null` reads "never". */
export function TimeCell({ ms, now }: { ms: number | null; now: number }) {
  if (ms === null) return <span className="muted">never</span>;
  const absolute = formatAbsolute(ms);
  const date = new Date(ms);
  return (
    <time dateTime={Number.isNaN(date.getTime()) ? undefined : date.toISOString()} title={absolute}>
      {formatRelative(ms, now)}
    </time>
  );
}
