// Whatever an agent sends reaches the log only through these: strings are cut to a
// few hundred characters with the number of characters cut, maps to a few entries
// with the number left out, so a hostile workstation cannot write 100 KB lines.
export const LOG_TEXT_MAX = 160;
export const LOG_ENTRIES_MAX = 16;

/** The value as text, at most `max` characters, followed by `…(+N)` when N characters were cut. */
export function bounded(value: unknown, max = LOG_TEXT_MAX): string {
  const text = typeof value === 'string' ? value : String(value);
  return text.length <= max ? text : `${text.slice(0, max)}…(+${text.length - max})`;
}

/** At most `maxEntries` entries with bounded keys and values, and how many were left out. */
export function boundedEntries(
  record: Record<string, unknown>,
  maxEntries = LOG_ENTRIES_MAX,
  max = 64,
): { entries: Record<string, string>; omitted: number } {
  const all = Object.entries(record);
  const entries: Record<string, string> = {};
  for (const [key, value] of all.slice(0, maxEntries)) entries[bounded(key, max)] = bounded(value, max);
  return { entries, omitted: Math.max(0, all.length - maxEntries) };
}
