// Times from the manager are epoch milliseconds. The dashboard shows them relative
// ("3 min ago") with the absolute local time on hover.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; future times read "in …". */
export function formatRelative(thenMs: number, nowMs: number): string {
  const delta = nowMs - thenMs;
  const size = Math.abs(delta);
  // A few seconds either way is clock skew between manager and browser, not news.
  if (size < 5 * SECOND) return 'just now';
  let amount: string;
  if (size < MINUTE) amount = `${Math.floor(size / SECOND)} s`;
  else if (size < HOUR) amount = `${Math.floor(size / MINUTE)} min`;
  else if (size < DAY) amount = `${Math.floor(size / HOUR)} h`;
  else amount = `${Math.floor(size / DAY)} d`;
  return delta >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** Absolute local date and time, e.g. for a title attribute. */
export function formatAbsolute(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return 'invalid time';
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
