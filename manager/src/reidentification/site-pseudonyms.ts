// The site key in the one operation the manager does with it besides handing it
// to agents: recomputing a pseudonym for a value an officer brings, with the same
// function the agents use (`@wardwatch/shared/pseudonyms`).
import { Injectable } from '@nestjs/common';
import { pseudonymMac, pseudonymToken, type PseudonymKind } from '@wardwatch/shared/pseudonyms';
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
   * The token of a value. A path's class and depth are decided on the workstation
   * (which folders hold patient data), so for a path this gives `p_*_<mac>`: the
   * part every token of that path shares.
   */
  tokenOf(kind: PseudonymKind, value: string): string {
    if (kind === 'path') return `p_*_${pseudonymMac(this.pki.pseudonymKey, 'path', value)}`;
    return pseudonymToken(this.pki.pseudonymKey, kind, value);
  }
}
