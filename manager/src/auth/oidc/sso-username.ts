// The account name a provisioned SSO user gets. It is only a label: the link to the provider
// is (issuer, subject), so a name that collides with an existing account gets a suffix derived
// from that pair instead of ever reaching the existing account.
import { createHash } from 'node:crypto';
import { Username } from '@wardwatch/shared';

function pairHash(issuer: string, subject: string): string {
  return createHash('sha256').update(`${issuer}\n${subject}`).digest('hex');
}

/** The provider's preferred name, made to fit our username rules; undefined when nothing usable is left. */
function fromClaim(claim: unknown): string | undefined {
  if (typeof claim !== 'string') return undefined;
  const cleaned = claim
    .toLowerCase()
    .replace(/@.*$/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 50);
  const parsed = Username.safeParse(cleaned);
  return parsed.success ? parsed.data : undefined;
}

/** Names to try, in order: the preferred one, it with a suffix, then one made of the pair alone. */
export function usernameCandidates(preferred: unknown, issuer: string, subject: string): string[] {
  const hash = pairHash(issuer, subject);
  const base = fromClaim(preferred);
  const fallback = `sso-${hash.slice(0, 24)}`;
  return base ? [base, `${base}-${hash.slice(0, 8)}`, fallback] : [fallback];
}
