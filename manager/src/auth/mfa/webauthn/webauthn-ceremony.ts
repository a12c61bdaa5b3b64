// The WebAuthn ceremonies, on @simplewebauthn/server: options with a fresh challenge
// (stored, single-use, 2 minutes), and the checks of what the browser sends back —
// challenge (spent by the check itself), origin and RP ID (from the configured public
// origin, never from the request), signature and user presence. Attestation is `none`:
// the manager trusts a key because its owner registered it while signed in, not because
// of its maker. Decides nothing about users; SecurityKeyService does.
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import {
  AuthenticatorTransport,
  type AuthenticationCredential,
  type RegistrationCredential,
  type SecurityKeyCreationOptions,
  type SecurityKeyRequestOptions,
} from '@wardwatch/shared';
import { z } from 'zod';
import { Clock } from '../../../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../../../config/config.schema';
import type { PublicOrigin } from '../../../config/public-origin';
import { MfaError } from '../mfa.errors';
import type { SecurityKeyEntity, WebAuthnPurpose } from './security-key.entity';
import { SecurityKeyRepository } from './security-key.repository';

export const CHALLENGE_LIFETIME_MS = 2 * 60_000;
const RP_NAME = 'WardWatch';

/** Why a response was refused, as audited. */
export type CeremonyRefusal = 'malformed' | 'challenge' | 'origin' | 'signature';

export type CeremonyResult<T> = { ok: true; value: T } | { ok: false; why: CeremonyRefusal; detail: string };

export interface NewCredential {
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: AuthenticatorTransport[];
}

const ClientData = z.object({ type: z.string(), challenge: z.string(), origin: z.string() });

@Injectable()
export class WebAuthnCeremony {
  constructor(
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'mfa'>,
    private readonly keys: SecurityKeyRepository,
    private readonly clock: Clock,
  ) {}

  get available(): boolean {
    return this.config.mfa.publicOrigin !== undefined;
  }

  private site(): PublicOrigin {
    const site = this.config.mfa.publicOrigin;
    if (!site) {
      throw new MfaError(
        'security_keys_unavailable',
        'security keys need the dashboard address: set WARDWATCH_PUBLIC_ORIGIN',
      );
    }
    return site;
  }

  private async newChallenge(userId: string, purpose: WebAuthnPurpose): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = new Uint8Array(randomBytes(32));
    await this.keys.replaceChallenge({
      challenge: Buffer.from(bytes).toString('base64url'),
      userId,
      purpose,
      expiresAt: this.clock.now() + CHALLENGE_LIFETIME_MS,
    });
    return bytes;
  }

  async registrationOptions(
    user: { id: string; username: string },
    existing: SecurityKeyEntity[],
  ): Promise<SecurityKeyCreationOptions> {
    const { rpId } = this.site();
    return (await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rpId,
      userName: user.username,
      userID: new Uint8Array(Buffer.from(user.id)),
      challenge: await this.newChallenge(user.id, 'register'),
      timeout: CHALLENGE_LIFETIME_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((key) => ({ id: key.credentialId, transports: transportsOf(key) })),
      authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
    })) as SecurityKeyCreationOptions;
  }

  async assertionOptions(
    userId: string,
    purpose: Exclude<WebAuthnPurpose, 'register'>,
    keys: SecurityKeyEntity[],
  ): Promise<SecurityKeyRequestOptions> {
    const { rpId } = this.site();
    return (await generateAuthenticationOptions({
      rpID: rpId,
      challenge: await this.newChallenge(userId, purpose),
      timeout: CHALLENGE_LIFETIME_MS,
      userVerification: 'preferred',
      allowCredentials: keys.map((key) => ({ id: key.credentialId, transports: transportsOf(key) })),
    })) as SecurityKeyRequestOptions;
  }

  async verifyRegistration(userId: string, credential: RegistrationCredential): Promise<CeremonyResult<NewCredential>> {
    const site = this.site();
    return this.judge(credential.response.clientDataJSON, site, async (spend) => {
      const result = await verifyRegistrationResponse({
        response: { ...credential, clientExtensionResults: {} },
        expectedChallenge: spend(userId, 'register'),
        expectedOrigin: site.origin,
        expectedRPID: site.rpId,
        requireUserVerification: false,
      });
      if (!result.verified) return undefined;
      const { credential: made } = result.registrationInfo;
      return {
        credentialId: made.id,
        publicKey: Buffer.from(made.publicKey).toString('base64url'),
        signCount: made.counter,
        transports: (credential.response.transports ?? []).filter((t) => AuthenticatorTransport.safeParse(t).success),
      };
    });
  }

  /** Checks an assertion by `key` over a challenge of `purpose`; the new counter when it holds. */
  async verifyAssertion(
    key: SecurityKeyEntity,
    purpose: Exclude<WebAuthnPurpose, 'register'>,
    credential: AuthenticationCredential,
  ): Promise<CeremonyResult<{ signCount: number }>> {
    const site = this.site();
    return this.judge(credential.response.clientDataJSON, site, async (spend) => {
      const result = await verifyAuthenticationResponse({
        response: { ...credential, clientExtensionResults: {} },
        expectedChallenge: spend(key.userId, purpose),
        expectedOrigin: site.origin,
        expectedRPID: site.rpId,
        // The counter is compared by SecurityKeyService, atomically and audited on its own.
        credential: {
          id: key.credentialId,
          publicKey: new Uint8Array(Buffer.from(key.publicKey, 'base64url')),
          counter: 0,
        },
        requireUserVerification: false,
      });
      return result.verified ? { signCount: result.authenticationInfo.newCounter } : undefined;
    });
  }

  /**
   * Runs one library check and says why it failed: the challenge (our verifier refused it:
   * unknown, someone else's, spent, expired), the origin (read from the client data), or
   * anything else (RP ID hash, signature, user presence, format).
   */
  private async judge<T>(
    clientDataJSON: string,
    site: PublicOrigin,
    check: (
      spend: (userId: string, purpose: WebAuthnPurpose) => (challenge: string) => Promise<boolean>,
    ) => Promise<T | undefined>,
  ): Promise<CeremonyResult<T>> {
    const clientData = readClientData(clientDataJSON);
    if (!clientData) return { ok: false, why: 'malformed', detail: 'client data is not JSON' };
    let challengeRefused = false;
    const spend = (userId: string, purpose: WebAuthnPurpose) => async (challenge: string) => {
      const spent = await this.keys.spendChallenge(challenge, userId, purpose, this.clock.now());
      challengeRefused = !spent;
      return spent;
    };
    try {
      const value = await check(spend);
      if (value !== undefined) return { ok: true, value };
      return { ok: false, why: 'signature', detail: 'not verified' };
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error)).slice(0, 200);
      if (challengeRefused) return { ok: false, why: 'challenge', detail };
      if (clientData.origin !== site.origin) return { ok: false, why: 'origin', detail };
      return { ok: false, why: 'signature', detail };
    }
  }
}

function readClientData(base64url: string): z.infer<typeof ClientData> | undefined {
  try {
    const parsed = ClientData.safeParse(JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function transportsOf(key: SecurityKeyEntity): AuthenticatorTransport[] {
  return key.transports
    .split(',')
    .filter((t): t is AuthenticatorTransport => AuthenticatorTransport.safeParse(t).success);
}
