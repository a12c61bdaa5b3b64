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
 * `local-key` for now. OPRF's group arithmetic is libsodium in WebAssembly (@wardwatch/shared/oprf):
 * ~0.64 ms of agent CPU per new value and 0.2 ms of manager CPU (was 4.8 and 2.1 ms in pure JS), and
 * the agent-footprint bench in OPRF mode loses nothing at 1,000 file rewrites/s. With the module
 * instantiated directly (no wrapper library) and never optimised in the agent, the agent's idle RSS
 * is 78.4-80.4 MB on average, peak 79.6-81.3 (target 80 at every sample; local-key ~76) and, with
 * every path new, ~1 ms of CPU per event against local-key's ~0.35. A new site gets OPRF by default
 * once that memory fits with a margin (docs/privacy.md, "Why local-key is still the default").
 */
export const DEFAULT_PSEUDONYM_MODE: PseudonymMode = 'local-key';

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
