// Where a user's day window begins. A calendar day cuts a 19:00–07:00 night
// shift in two, so half of a night's copying lands in one window and half in the
// next, and each half looks like less. A cut splits the user's work only when
// they are active both in the hour before it and in the hour after it; an hour
// is quiet when it holds less than the off-hours share of their activity (the
// same 2 % that makes a logon "outside usual hours"). Midnight stays the cut
// whenever it splits nothing (a day or evening worker's windows are calendar
// days, unchanged); else a cut in use that splits nothing is kept (no windows
// wandering by an hour from one day to the next). Below MIN_HOUR_HISTORY active
// hours nothing moves: an hour not seen yet is not a quiet one. Otherwise the cut moves to the
// middle of the longest run of quiet hours, where overtime and early starts are
// least likely to reach it. With no quiet hour at all (rotating shifts, a shared
// account, a peer group of day and night workers) there is no better place and
// the cut stays.
import { type HourProfile, MIN_HOUR_HISTORY } from './user-history';

/** Share of activity below which an hour is quiet: the off-hours share of the extractor. */
export const QUIET_HOUR_PROBABILITY = 0.02;

const nearMidnight = (hour: number) => Math.min(hour, 24 - hour);

/**
 * The hour (0–23, local) at which the user's day window begins, given their hour profile and the
 * boundary in use so far. Deterministic; ties go to the hour nearest midnight.
 */
export function dayBoundaryHour(profile: HourProfile, current = 0, quiet = QUIET_HOUR_PROBABILITY): number {
  // Too little history to tell a quiet hour from one not yet seen: the cut stays where it is.
  if (profile.total < MIN_HOUR_HISTORY) return current;
  const isQuiet = (hour: number) => profile.probability((hour + 24) % 24) < quiet;
  const splitsNothing = (cut: number) => isQuiet(cut - 1) || isQuiet(cut);
  if (splitsNothing(0)) return 0;
  if (splitsNothing(current)) return current;

  // Longest circular run of quiet hours, cut in its middle.
  let best = -1;
  let bestLength = 0;
  for (let from = 0; from < 24; from++) {
    if (!isQuiet(from) || isQuiet(from - 1)) continue; // only runs' first hours
    let length = 0;
    while (length < 24 && isQuiet(from + length)) length++;
    const cut = (from + Math.ceil(length / 2)) % 24;
    if (length > bestLength || (length === bestLength && best >= 0 && nearMidnight(cut) < nearMidnight(best))) {
      best = cut;
      bestLength = length;
    }
  }
  // No quiet hour (rotating shifts, a shared account, a mixed peer group): the cut stays.
  return best >= 0 ? best : current;
}
