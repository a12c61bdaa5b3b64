// The one place the dashboard turns times and numbers into text, so every page reads
// the same: times from the manager are epoch milliseconds, shown relative ("3 min ago")
// or as local "YYYY-MM-DD HH:MM:SS" — one order, never DD/MM on one page and MM/DD on
// another, whatever the browser's locale; counts with thousands separators.

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

const two = (n: number) => String(n).padStart(2, '0');

/** Local date and time, "2026-12-02 16:20:31". */
export function formatAbsolute(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return 'invalid time';
  return `${formatDay(date)} ${formatTimeOfDay(ms)}`;
}

/** Local time of day, "16:20:31". */
export function formatTimeOfDay(ms: number): string {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return 'invalid time';
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function formatDay(date: Date): string {
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators, "12,345". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? counts.format(n) : '?';
}

/** A measured figure: whole numbers as they are, others with one decimal ("7.9"). */
export function formatFigure(n: number): string {
  if (!Number.isFinite(n)) return '?';
  return Number.isInteger(n) ? formatCount(n) : n.toFixed(1);
}
