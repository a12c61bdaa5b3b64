// Which pseudonym mode a site runs in, decided at each start from what its database recorded
// and what the environment asks. Tokens made in one mode are not those of the other, and a
// privacy officer's lookup answers in the site's current mode only: so the mode is written
// once, with the data, and never changes by accident.
//
// - Nothing recorded, no agent and no event yet (a new site): the environment's choice, else
//   DEFAULT_PSEUDONYM_MODE.
// - Nothing recorded on a site with data (it ran before modes were recorded): the mode it ran
//   in, which was the environment's choice, else `local-key` (the old default).
// - Recorded: the environment may repeat it or say nothing; anything else fails the start,
//   except the one deliberate switch, local-key → oprf, asked for by name.
import type { PseudonymMode } from '@wardwatch/shared/pseudonyms';

/**
 * `oprf`: no workstation holds a pseudonym key (issue #11). What kept `local-key` the default was
 * the agent's cost per new file path (one OPRF evaluation each, ~1 ms of CPU, and the manager's
 * rate of 6,000 values a minute); a path's token is now keyed by its folder's PRF output
 * (shared/src/pseudonyms/oprf-token.ts), so a new file in a folder already seen costs an HMAC,
 * and only a new folder an evaluation. Figures: docs/privacy.md, "Why OPRF is the default".
 * Sites that ran before modes were recorded keep `local-key` (below).
 */
export const DEFAULT_PSEUDONYM_MODE: PseudonymMode = 'oprf';

export interface ModeInputs {
  recorded: PseudonymMode | undefined;
  /** WARDWATCH_PSEUDONYM_MODE, when set. */
  requested: PseudonymMode | undefined;
  /** WARDWATCH_PSEUDONYM_MODE_SWITCH, when set. */
  switchTo: 'local-key-to-oprf' | undefined;
  siteHasData: boolean;
}

export type ModeDecision =
  | { kind: 'keep'; mode: PseudonymMode }
  | { kind: 'record'; mode: PseudonymMode; why: 'new_site' | 'existing_site' }
  | { kind: 'switch'; mode: 'oprf'; from: 'local-key' }
  | { kind: 'refuse'; reason: string };

export function decidePseudonymMode(inputs: ModeInputs): ModeDecision {
  const { requested, switchTo } = inputs;
  if (switchTo && requested === 'local-key')
    return {
      kind: 'refuse',
      reason:
        'WARDWATCH_PSEUDONYM_MODE_SWITCH=local-key-to-oprf contradicts WARDWATCH_PSEUDONYM_MODE=local-key; unset one of them',
    };
  if (inputs.recorded === undefined) {
    if (!inputs.siteHasData) return { kind: 'record', mode: requested ?? DEFAULT_PSEUDONYM_MODE, why: 'new_site' };
    const ran = requested ?? 'local-key';
    if (ran === 'local-key' && switchTo) return { kind: 'switch', mode: 'oprf', from: 'local-key' };
    return { kind: 'record', mode: ran, why: 'existing_site' };
  }
  const recorded = inputs.recorded;
  if (recorded === 'local-key' && switchTo) return { kind: 'switch', mode: 'oprf', from: 'local-key' };
  if (requested === undefined || requested === recorded) return { kind: 'keep', mode: recorded };
  return {
    kind: 'refuse',
    reason:
      recorded === 'local-key'
        ? `WARDWATCH_PSEUDONYM_MODE=${requested}, but this site's pseudonyms are recorded in local-key mode; to move it to OPRF on purpose set WARDWATCH_PSEUDONYM_MODE_SWITCH=local-key-to-oprf (docs/privacy.md), else unset WARDWATCH_PSEUDONYM_MODE`
        : `WARDWATCH_PSEUDONYM_MODE=${requested}, but this site's pseudonyms are recorded in oprf mode, which has no way back (enrolled agents hold no key); unset WARDWATCH_PSEUDONYM_MODE`,
  };
}
