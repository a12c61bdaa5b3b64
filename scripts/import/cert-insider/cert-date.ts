// CERT's timestamps are `MM/DD/YYYY HH:MM:SS` on a local clock with no zone.
// They are read as if they were UTC, so an hour of day stays the hour the data
// set says; the scorer then runs with utcOffsetMinutes 0 (its default).

const CERT_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DAY_ARG = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch milliseconds of a CERT timestamp read as UTC, or null if it is not one (or not a real date). */
export function parseCertDate(text: string): number | null {
  const match = CERT_DATE.exec(text.trim());
  if (!match) return null;
  const [month, day, year, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  return utc(year, month, day, hour, minute, second);
}

/** Epoch milliseconds of midnight UTC of a `YYYY-MM-DD` day (the `--from` flag), or null. */
export function parseDayArgument(text: string): number | null {
  const match = DAY_ARG.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  return utc(year, month, day, 0, 0, 0);
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number | null {
  if (hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // Date rolls 02/30 over into March: a date that does not round-trip is not a date.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.getTime();
}
