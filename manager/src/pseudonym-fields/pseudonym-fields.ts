// Refuses an event or a score that carries a clear value where the agent must put a
// pseudonym (a user name, a host-local path, an address, a serial, a raw log line or
// command line), so that a rogue or misconfigured agent cannot put identities into
// the manager in clear. Which fields, and what passes, is the one definition in
// `@wardwatch/shared/pseudonyms` (token-fields.ts) that the agent's tests hold its
// output to. Empty fields pass, as the proto allows. No agent setting lets a site
// send clear values, so the manager has none either: tokens are always required.
//
// The refusal says which field and what kind of value, never the value: it is
// logged, and the value is what must not be written anywhere.
import type { Event, Score } from '@wardwatch/proto';
import { clearFieldOfEvent, clearValueInText, type TokenFieldKind } from '@wardwatch/shared/pseudonyms';

export interface ClearValueRefusal {
  ok: false;
  code: 'clear_value';
  reason: string;
}

const wanted: Record<TokenFieldKind, string> = {
  user: 'a user token',
  path: 'a path token',
  ip: 'an address token',
  host: 'a host token',
  device: 'a device token',
  extension: 'a kept extension',
  blank: 'nothing (it never leaves the workstation)',
};

const refusal = (reason: string): ClearValueRefusal => ({ ok: false, code: 'clear_value', reason });

/** A refusal when one of the event's pseudonym fields holds a clear value, else undefined. */
export function refuseClearEvent(event: Event): ClearValueRefusal | undefined {
  const clear = clearFieldOfEvent(event);
  return clear && refusal(`${clear.field}: a clear value where ${wanted[clear.kind]} is required`);
}

/** A refusal when the score's user is not a token, or a reason text names an address or path in clear. */
export function refuseClearScore(score: Score): ClearValueRefusal | undefined {
  const user = clearFieldOfEvent({ user: score.user });
  if (user) return refusal(`user: a clear value where ${wanted.user} is required`);
  for (const [i, reason] of score.reasons.entries()) {
    const found = clearValueInText(reason.text);
    if (found) return refusal(`reasons[${i}].text: names ${found === 'ip' ? 'an address' : 'a path'} in clear`);
  }
  return undefined;
}
