// Single sign-on through OpenID Connect (auth/oidc/): the environment variables and the
// typed settings they become. Off unless an issuer is set; then a client id, a secret (or a
// file holding it) and a role mapping are required, so that a half-configured SSO fails at
// start-up rather than at someone's first sign-in.
import { userRoles, type UserRole } from '@wardwatch/shared';
import { z } from 'zod';
import { optionalText } from './env-fields';

export const OidcEnvSchema = z.object({
  // The provider's issuer URL (its discovery document is at <issuer>/.well-known/openid-configuration).
  WARDWATCH_OIDC_ISSUER: optionalText,
  WARDWATCH_OIDC_CLIENT_ID: optionalText,
  WARDWATCH_OIDC_CLIENT_SECRET: optionalText,
  WARDWATCH_OIDC_CLIENT_SECRET_FILE: optionalText,
  // Default: <WARDWATCH_PUBLIC_URL or the manager's own address>/api/v1/auth/oidc/callback.
  WARDWATCH_OIDC_REDIRECT_URI: optionalText,
  WARDWATCH_PUBLIC_URL: optionalText,
  WARDWATCH_OIDC_SCOPES: optionalText.default('openid profile email'),
  WARDWATCH_OIDC_ROLE_CLAIM: optionalText.default('groups'),
  // claim value=role pairs, comma-separated: "ww-admins=admin,soc=analyst".
  WARDWATCH_OIDC_ROLE_MAP: optionalText,
  // on: an unknown (issuer, subject) becomes a user with its mapped role; off: it must be linked first.
  WARDWATCH_OIDC_PROVISION: z.enum(['on', 'off']).default('on'),
});
export type OidcEnv = z.infer<typeof OidcEnvSchema>;

/** One claim value and the WardWatch role it grants. */
export interface RoleRule {
  claimValue: string;
  role: UserRole;
}

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  /** The secret itself, or the file to read it from at start-up. */
  clientSecret: { kind: 'value'; value: string } | { kind: 'file'; path: string };
  redirectUri: URL;
  scopes: string[];
  roleClaim: string;
  roleRules: RoleRule[];
  provisionUnknownUsers: boolean;
}

/** Where the manager is reached, as the provider must send browsers back to it. */
export interface OwnAddress {
  host: string;
  port: number;
  tls: boolean;
}

/** The SSO settings, undefined when no issuer is set; a list of problems when it is set but incomplete. */
export function parseOidc(e: OidcEnv, own: OwnAddress): OidcConfig | undefined | string[] {
  if (e.WARDWATCH_OIDC_ISSUER === undefined) return undefined;
  const problems: string[] = [];
  const issuer = parseUrl(e.WARDWATCH_OIDC_ISSUER);
  if (!issuer) problems.push('WARDWATCH_OIDC_ISSUER: not a URL');
  else if (!secureOrLoopback(issuer))
    problems.push('WARDWATCH_OIDC_ISSUER: must be https:// (plain http only on a loopback address)');
  if (e.WARDWATCH_OIDC_CLIENT_ID === undefined) problems.push('WARDWATCH_OIDC_CLIENT_ID: required with an issuer');
  const secret = e.WARDWATCH_OIDC_CLIENT_SECRET;
  const secretFile = e.WARDWATCH_OIDC_CLIENT_SECRET_FILE;
  if ((secret === undefined) === (secretFile === undefined))
    problems.push('WARDWATCH_OIDC_CLIENT_SECRET or WARDWATCH_OIDC_CLIENT_SECRET_FILE: set exactly one');
  const redirectUri = redirectFor(e, own);
  if (!redirectUri) problems.push('WARDWATCH_OIDC_REDIRECT_URI (or WARDWATCH_PUBLIC_URL): not a URL');
  const roleRules = parseRoleMap(e.WARDWATCH_OIDC_ROLE_MAP ?? '');
  if (typeof roleRules === 'string') problems.push(`WARDWATCH_OIDC_ROLE_MAP: ${roleRules}`);
  const scopes = e.WARDWATCH_OIDC_SCOPES.split(/\s+/).filter((s) => s !== '');
  if (!scopes.includes('openid')) problems.push('WARDWATCH_OIDC_SCOPES: must include openid');
  if (problems.length > 0 || !issuer || !redirectUri || typeof roleRules === 'string') return problems;
  return {
    issuer,
    clientId: e.WARDWATCH_OIDC_CLIENT_ID ?? '',
    clientSecret: secret !== undefined ? { kind: 'value', value: secret } : { kind: 'file', path: secretFile ?? '' },
    redirectUri,
    scopes,
    roleClaim: e.WARDWATCH_OIDC_ROLE_CLAIM,
    roleRules,
    provisionUnknownUsers: e.WARDWATCH_OIDC_PROVISION === 'on',
  };
}

/** "value=role, value=role" with known roles; a value may grant only one role. */
export function parseRoleMap(text: string): RoleRule[] | string {
  const rules: RoleRule[] = [];
  for (const pair of text.split(',').map((p) => p.trim())) {
    if (pair === '') continue;
    const at = pair.lastIndexOf('=');
    const claimValue = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || claimValue === '' || claimValue.length > 256) return `"${pair}" is not value=role`;
    if (!(userRoles as readonly string[]).includes(role))
      return `"${role}" is not a role (one of ${userRoles.join(', ')})`;
    if (rules.some((rule) => rule.claimValue === claimValue)) return `"${claimValue}" is mapped twice`;
    rules.push({ claimValue, role: role as UserRole });
  }
  return rules.length > 0 ? rules : 'map at least one claim value to a role (value=role, ...)';
}

function redirectFor(e: OidcEnv, own: OwnAddress): URL | undefined {
  if (e.WARDWATCH_OIDC_REDIRECT_URI !== undefined) return parseUrl(e.WARDWATCH_OIDC_REDIRECT_URI);
  const host = own.host.includes(':') ? `[${own.host}]` : own.host;
  const base = e.WARDWATCH_PUBLIC_URL ?? `${own.tls ? 'https' : 'http'}://${host}:${own.port}`;
  return parseUrl(`${base.replace(/\/+$/, '')}/api/v1/auth/oidc/callback`);
}

function parseUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Tokens and keys travel over TLS; plain HTTP is for a provider on this very host (tests, a local proxy). */
export function secureOrLoopback(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
