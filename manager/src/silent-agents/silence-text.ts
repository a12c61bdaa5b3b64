// The words of a silence alert. Times are UTC so that every analyst, whatever the
// dashboard's time zone, reads the same text the audit log holds.

/** "7 min", "2 h 5 min", "3 days". */
export function silenceDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/** "10:02 UTC" on the same UTC day as `now`, else "2026-12-01 10:02 UTC". */
export function utcTime(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

export function silenceReason(hostname: string, lastSeenAt: number, now: number): string {
  return `no heartbeat from ${hostname} for ${silenceDuration(now - lastSeenAt)}, last seen ${utcTime(lastSeenAt, now)}`;
}

export function returnNote(hostname: string, lastSeenAt: number, backAt: number, now: number): string {
  return `${hostname} was heard from again at ${utcTime(backAt, now)}, after ${silenceDuration(backAt - lastSeenAt)} of silence`;
}

export function revokedNote(hostname: string, now: number): string {
  return `${hostname} was revoked while silent (${utcTime(now, now)}); it is no longer watched`;
}
