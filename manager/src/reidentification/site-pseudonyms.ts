// The site key in the one operation the manager does with it besides handing it
// to agents: recomputing a pseudonym for a value an officer brings, with the same
// function the agents use (`@wardwatch/shared/pseudonyms`).
import { Injectable } from '@nestjs/common';
import {
  clearSystemPath,
  parsePseudonym,
  pseudonymMac,
  pseudonymOf,
  type PseudonymKind,
} from '@wardwatch/shared/pseudonyms';
import { timingSafeEqual } from 'node:crypto';
import { PkiService } from '../pki/pki.service';

@Injectable()
export class SitePseudonyms {
  constructor(private readonly pki: PkiService) {}

  /** True when `candidate` is the clear value behind a token of this kind and MAC. */
  matches(kind: PseudonymKind, mac: string, candidate: string): boolean {
    const computed = Buffer.from(pseudonymMac(this.pki.pseudonymKey, kind, candidate));
    const given = Buffer.from(mac);
    return computed.length === given.length && timingSafeEqual(computed, given);
  }

  /**
   * What agents send for a value: its token, or the value itself where they keep
   * it in clear (root, loopback, a system program). A path's class and depth are
   * decided on the workstation (which folders hold patient data), so for a path
   * this gives `p_*_<mac>`: the part every token of that path shares.
   */
  tokenOf(kind: PseudonymKind, value: string): { token: string; inClear: boolean } {
    if (kind === 'path') {
      const clear = clearSystemPath(value);
      return clear !== undefined
        ? { token: clear, inClear: true }
        : { token: `p_*_${pseudonymMac(this.pki.pseudonymKey, 'path', value)}`, inClear: false };
    }
    const token = pseudonymOf(this.pki.pseudonymKey, kind, value);
    return { token, inClear: parsePseudonym(token) === undefined };
  }
}
