// The manager link's minimum TLS version and cipher suites. Checked against this
// agent's TLS library before anything changes (an unknown suite fails the step, and so
// the whole policy); then put in the LinkSecurity the session reads at each connection,
// so the settings hold from the next connection on.
import { getCiphers } from 'node:tls';
import type { ManagerLinkSettings, TierSettings } from '@wardwatch/shared/agent';
import type { AppliedStep, PolicyStep } from './policy-step';

/** What the session's next TLS connection uses; null = the TLS library's defaults. */
export class LinkSecurity {
  constructor(private value: ManagerLinkSettings | null = null) {}

  get(): ManagerLinkSettings | null {
    return this.value;
  }

  set(value: ManagerLinkSettings | null): void {
    this.value = value;
  }
}

export class ManagerLinkStep implements PolicyStep {
  readonly name = 'manager_link' as const;

  constructor(private readonly link: LinkSecurity) {}

  apply(next: TierSettings): Promise<AppliedStep> {
    const known = new Set(getCiphers());
    const unknown = next.managerLink.ciphers.filter((c) => !known.has(c.toLowerCase()));
    if (unknown.length > 0)
      return Promise.reject(new Error(`cipher suites unknown to this agent's TLS: ${unknown.slice(0, 4).join(', ')}`));
    const before = this.link.get();
    this.link.set(next.managerLink);
    const suites = next.managerLink.ciphers.length;
    return Promise.resolve({
      outcome: {
        state: 'applied',
        detail: `${next.managerLink.minTlsVersion} or later, ${suites === 0 ? 'default suites' : `${suites} suites`}, from the next connection`,
      },
      undo: () => {
        this.link.set(before);
        return Promise.resolve();
      },
    });
  }
}
