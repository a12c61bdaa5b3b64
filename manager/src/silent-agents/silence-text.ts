// The words of a silence alert, its times and durations as common/time-words.ts says them.
import { durationWords, utcTime } from '../common/time-words';

export function silenceReason(hostname: string, lastSeenAt: number, now: number): string {
  return `no heartbeat from ${hostname} for ${durationWords(now - lastSeenAt)}, last seen ${utcTime(lastSeenAt, now)}`;
}

export function returnNote(hostname: string, lastSeenAt: number, backAt: number, now: number): string {
  return `${hostname} was heard from again at ${utcTime(backAt, now)}, after ${durationWords(backAt - lastSeenAt)} of silence`;
}

export function revokedNote(hostname: string, now: number): string {
  return `${hostname} was revoked while silent (${utcTime(now, now)}); it is no longer watched`;
}
