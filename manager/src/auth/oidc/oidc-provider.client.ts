// The relying party's conversation with the OpenID provider: discovery, the authorization
// request, the code exchange and the ID token checks. Behind this one injectable class so that
// the sign-in service decides without HTTP, and so that the library stays in one file.
//
// Why openid-client (v6): it is the OpenID-certified relying party for Node, built on
// oauth4webapi and jose, with no native code or install scripts; it runs on Node 20.19+ (the
// manager's floor) through require(esm). Writing our own would mean re-doing discovery, JWKS
// fetching and rotation, PKCE and the ID token rules (iss, aud, azp, exp, iat, nonce) by hand.
// `enableNonRepudiationChecks` makes it verify the ID token's signature against the provider's
// JWKS even though the token came straight from the token endpoint over TLS.
import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { MANAGER_CONFIG, type ManagerConfig } from '../../config/config.schema';
import { secureOrLoopback, type OidcConfig } from '../../config/oidc-settings';

/** What the callback must check the provider's answer against. */
export interface Expected {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface AuthorizationRequest extends Expected {
  url: URL;
}

/** The verified ID token's claims (signature, iss, aud, exp and nonce already checked). */
export type IdClaims = Readonly<Record<string, unknown>> & { iss: string; sub: string };

/** Why the provider's answer was not accepted; goes to the audit trail. */
export class ProviderRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ProviderRefusal';
  }
}

/** Seconds allowed for each call to the provider. */
const PROVIDER_TIMEOUT_SECONDS = 10;

@Injectable()
export class OidcProviderClient {
  private readonly settings: OidcConfig | undefined;
  private configuration: Promise<client.Configuration> | undefined;

  constructor(@Inject(MANAGER_CONFIG) config: Pick<ManagerConfig, 'oidc'>) {
    this.settings = config.oidc;
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  async authorizationRequest(): Promise<AuthorizationRequest> {
    const settings = this.required();
    const configuration = await this.discover();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: settings.redirectUri.href,
      scope: settings.scopes.join(' '),
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /** Redeems the code of a callback whose query is `search`; throws ProviderRefusal with the reason. */
  async redeem(search: string, expected: Expected): Promise<IdClaims> {
    const settings = this.required();
    const configuration = await this.discover();
    const callback = new URL(settings.redirectUri.href);
    callback.search = search;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callback, {
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        pkceCodeVerifier: expected.codeVerifier,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new ProviderRefusal('no_id_token');
      return claims;
    } catch (error) {
      throw error instanceof ProviderRefusal ? error : new ProviderRefusal(reasonOf(error));
    }
  }

  /** The provider's metadata, fetched once; a failed discovery is tried again at the next sign-in. */
  private discover(): Promise<client.Configuration> {
    const settings = this.required();
    this.configuration ??= client
      .discovery(settings.issuer, settings.clientId, undefined, client.ClientSecretBasic(readSecret(settings)), {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // Plain HTTP only for an issuer on this host (oidc-settings.ts refuses any other). The
        // library recognises this very function, so it is passed as it is, not wrapped.
        execute:
          secureOrLoopback(settings.issuer) && settings.issuer.protocol === 'http:'
            ? [client.allowInsecureRequests]
            : [],
      })
      .then((configuration) => {
        client.enableNonRepudiationChecks(configuration);
        return configuration;
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new ProviderRefusal(`discovery: ${reasonOf(error)}`);
      });
    return this.configuration;
  }

  private required(): OidcConfig {
    if (!this.settings) throw new ProviderRefusal('sso_not_configured');
    return this.settings;
  }
}

function readSecret(settings: OidcConfig): string {
  const secret = settings.clientSecret;
  return secret.kind === 'value' ? secret.value : readFileSync(secret.path, 'utf8').trim();
}

/** A short, bounded reason: the library's error code or the provider's error, never a token. */
function reasonOf(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError) return `provider: ${error.error}`.slice(0, 120);
  if (error instanceof client.ResponseBodyError) return `token endpoint: ${error.error}`.slice(0, 120);
  if (error instanceof Error) {
    const { code, cause } = error as Error & { code?: unknown };
    // openid-client wraps oauth4webapi's error, whose message names the claim (nonce, iss, aud…).
    const message = cause instanceof Error ? cause.message : error.message;
    return `${typeof code === 'string' ? code + ': ' : ''}${message}`.slice(0, 200);
  }
  return 'unknown';
}
