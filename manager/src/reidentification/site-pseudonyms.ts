// The site's keys in the one operation the manager does with them besides handing the
// HMAC key to agents (local-key mode) or evaluating blinded values (OPRF mode,
// pseudonym-oracle/): recomputing a pseudonym for a value an officer brings, with the
// same functions the agents use (`@wardwatch/shared/pseudonyms`). In OPRF mode the
// manager computes the PRF output itself with its key; no agent is asked. A path's MAC
// there is keyed by its folder's PRF output (oprfMacWith → oprfPathMac), as on the agent.
import {
  clearSystemPath,
  oprfMacWith,
  parsePseudonym,
  pseudonymMac,
  pseudonymPrefixes,
  pseudonymWith,
  type PseudonymKind,
  type PseudonymMode,
} from '@wardwatch/shared/pseudonyms';
import { timingSafeEqual } from 'node:crypto';
import type { PkiService } from '../pki/pki.service';
import type { OprfKey } from '../pseudonym-oracle/oprf-key';

export class SitePseudonyms {
  constructor(
    private readonly pki: PkiService,
    private readonly oprf?: OprfKey,
    private readonly mode: PseudonymMode = 'local-key',
  ) {}

  /**
   * True when `candidate` is the clear value behind a token of this kind and MAC. Both
   * modes are tried: agents enrolled before a site switched to OPRF still send HMAC tokens.
   */
  matches(kind: PseudonymKind, mac: string, candidate: string): boolean {
    const given = Buffer.from(mac);
    const macs = [pseudonymMac(this.pki.pseudonymKey, kind, candidate)];
    if (this.oprf) macs.push(this.oprfMac(this.oprf, kind, candidate));
    return macs.some((computed) => {
      const bytes = Buffer.from(computed);
      return bytes.length === given.length && timingSafeEqual(bytes, given);
    });
  }

  /**
   * What agents of the site's current mode send for a value: its token, or the value
   * itself where they keep it in clear (root, loopback, a system program). A path's class
   * and depth are decided on the workstation (which folders hold patient data), so for a
   * path this gives `p_*_<mac>`: the part every token of that path shares.
   */
  tokenOf(kind: PseudonymKind, value: string): { token: string; inClear: boolean } {
    const macOf = (k: PseudonymKind, v: string) =>
      this.mode === 'oprf' && this.oprf ? this.oprfMac(this.oprf, k, v) : pseudonymMac(this.pki.pseudonymKey, k, v);
    if (kind === 'path') {
      const clear = clearSystemPath(value);
      return clear !== undefined
        ? { token: clear, inClear: true }
        : { token: `p_*_${macOf('path', value)}`, inClear: false };
    }
    const token = pseudonymWith((k, v) => `${pseudonymPrefixes[k]}_${macOf(k, v)}`, kind, value);
    return { token, inClear: parsePseudonym(token) === undefined };
  }

  private oprfMac(key: OprfKey, kind: PseudonymKind, value: string): string {
    return oprfMacWith((input) => key.output(input), kind, value);
  }
}
