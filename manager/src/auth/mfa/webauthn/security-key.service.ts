// A user's security keys: register one (while signed in, gated or not), list them,
// sign in with one as the second step, and remove one with a fresh second factor (a
// code from the app, or a signature of one of the keys) so that a borrowed session
// alone cannot. Every check is throttled like a wrong TOTP code (key `mfa:<user>`) and
// every refusal audited; a signature counter that does not move forward is refused and
// audited on its own (a cloned authenticator). Each change commits with its audit row.
// A key that is the user's first second factor comes with ten recovery codes (shown once),
// as an app does: a lost key must not lock its owner out. Removing the last factor ends them.
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  AuthenticationCredential,
  RegistrationCredential,
  SecurityKey,
  SecurityKeyCreationOptions,
  SecurityKeyRegistered,
  FreshSecondFactor,
  SecurityKeyRequestOptions,
  SecurityKeys,
} from '@wardwatch/shared';
import { AuditService } from '../../../audit/audit.service';
import { Clock } from '../../../common/clock';
import { TransactionRunner } from '../../../database/transaction.runner';
import { SignInThrottle } from '../../throttle/sign-in-throttle';
import { MfaCrypto } from '../mfa-crypto';
import { MfaFactorCheck, type FactorOwner, type FactorPurpose } from '../mfa-factor-check';
import { MfaSignInService, type MfaSignedIn } from '../mfa-sign-in.service';
import { MfaError } from '../mfa.errors';
import { MfaRepository } from '../mfa.repository';
import type { SecurityKeyEntity } from './security-key.entity';
import { SecurityKeyRepository } from './security-key.repository';
import { transportsOf, WebAuthnCeremony } from './webauthn-ceremony';

type AssertionPurpose = 'sign_in' | 'step_up';

@Injectable()
export class SecurityKeyService {
  constructor(
    private readonly keys: SecurityKeyRepository,
    private readonly ceremony: WebAuthnCeremony,
    private readonly factors: MfaRepository,
    private readonly crypto: MfaCrypto,
    private readonly factorCheck: MfaFactorCheck,
    private readonly signIn: MfaSignInService,
    private readonly throttle: SignInThrottle,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(owner: FactorOwner): Promise<SecurityKeys> {
    return { available: this.ceremony.available, keys: (await this.keys.listOf(owner.id)).map(view) };
  }

  async registrationOptions(owner: FactorOwner): Promise<SecurityKeyCreationOptions> {
    return this.ceremony.registrationOptions(owner, await this.keys.listOf(owner.id));
  }

  async register(
    owner: FactorOwner,
    name: string,
    credential: RegistrationCredential,
    ip: string,
  ): Promise<SecurityKeyRegistered> {
    await this.admit(owner, ip);
    const checked = await this.ceremony.verifyRegistration(owner.id, credential);
    if (!checked.ok) return this.refuse(owner, ip, 'register', checked.why, checked.detail);
    await this.throttle.recordSuccess(throttleKey(owner), ip);
    if (await this.keys.findByCredentialId(checked.value.credentialId)) {
      throw new MfaError('security_key_exists', 'this security key is registered already');
    }
    const row: SecurityKeyEntity = {
      id: `sk_${randomBytes(12).toString('hex')}`,
      userId: owner.id,
      credentialId: checked.value.credentialId,
      publicKey: checked.value.publicKey,
      signCount: checked.value.signCount,
      transports: checked.value.transports.join(','),
      name,
      createdAt: this.clock.now(),
      lastUsedAt: null,
    };
    const firstFactor = !(await this.factors.isEnabled(owner.id)) && !(await this.keys.hasAny(owner.id));
    const recoveryCodes = firstFactor ? this.crypto.newRecoveryCodes() : undefined;
    await this.transactions.run(async (tx) => {
      await this.keys.insert(row, tx);
      if (recoveryCodes) {
        const hashes = recoveryCodes.map((code) => this.crypto.recoveryHash(owner.id, code));
        await this.factors.replaceRecoveryCodes(owner.id, hashes, row.createdAt, tx);
      }
      await this.audit.append(
        {
          actor: owner.username,
          action: 'auth.security_key_added',
          target: owner.username,
          details: { ip, key: row.id, name, transports: row.transports, recoveryCodesIssued: firstFactor },
        },
        tx,
      );
    });
    return recoveryCodes ? { ...view(row), recoveryCodes } : view(row);
  }

  /** Options for the second step of sign-in, for the user the pending token names. */
  async signInOptions(pendingToken: string): Promise<SecurityKeyRequestOptions> {
    const user = await this.signIn.pendingUser(pendingToken);
    const keys = await this.keys.listOf(user.id);
    if (keys.length === 0) throw new MfaError('security_key_not_found', 'this account has no security key');
    return this.ceremony.assertionOptions(user.id, 'sign_in', keys);
  }

  async completeSignIn(pendingToken: string, credential: AuthenticationCredential, ip: string): Promise<MfaSignedIn> {
    const user = await this.signIn.pendingUser(pendingToken);
    await this.checkAssertion(user, 'sign_in', credential, ip);
    return this.signIn.startSession(user, ip, 'security_key');
  }

  /** Options for signing a removal (or any later step-up) with one of the caller's keys. */
  async stepUpOptions(owner: FactorOwner): Promise<SecurityKeyRequestOptions> {
    const keys = await this.keys.listOf(owner.id);
    if (keys.length === 0) throw new MfaError('security_key_not_found', 'you have no security key');
    return this.ceremony.assertionOptions(owner.id, 'step_up', keys);
  }

  async remove(owner: FactorOwner, id: string, proof: FreshSecondFactor, ip: string): Promise<void> {
    const key = (await this.keys.listOf(owner.id)).find((k) => k.id === id);
    if (!key) throw new MfaError('security_key_not_found', 'you have no security key of that id');
    await this.confirmFresh(owner, proof, ip, 'remove_security_key');
    const hasApp = await this.factors.isEnabled(owner.id);
    await this.transactions.run(async (tx) => {
      if (!(await this.keys.remove(owner.id, id, tx))) {
        throw new MfaError('security_key_not_found', 'this security key was removed meanwhile');
      }
      // The last factor gone: its recovery codes would open nothing, so they go too.
      const lastFactor = !hasApp && (await this.keys.countOf(owner.id, tx)) === 0;
      if (lastFactor) await this.factors.removeRecoveryCodes(owner.id, tx);
      await this.audit.append(
        {
          actor: owner.username,
          action: 'auth.security_key_removed',
          target: owner.username,
          details: {
            ip,
            key: id,
            name: key.name,
            confirmedWith: proof.credential ? 'security_key' : 'totp',
            recoveryCodesRemoved: lastFactor,
          },
        },
        tx,
      );
    });
  }

  /**
   * Accepts a fresh second factor of the owner's (a code from their app, or a signature of one
   * of their keys over a step-up challenge) for `action`, or throws; throttled and audited alike.
   */
  async confirmFresh(owner: FactorOwner, proof: FreshSecondFactor, ip: string, action: FactorPurpose): Promise<void> {
    if (proof.credential) return this.checkAssertion(owner, 'step_up', proof.credential, ip);
    const factor = await this.factors.find(owner.id);
    if (!factor || factor.confirmedAt === null) {
      throw new MfaError('mfa_not_enrolled', 'you have no authenticator app: confirm with a security key');
    }
    await this.factorCheck.verify(owner, factor, proof.code ?? '', ip, action, false);
  }

  /** Accepts an assertion of one of the owner's keys over a challenge of `purpose`, or throws. */
  private async checkAssertion(
    owner: FactorOwner,
    purpose: AssertionPurpose,
    credential: AuthenticationCredential,
    ip: string,
  ): Promise<void> {
    await this.admit(owner, ip);
    const key = await this.keys.findByCredentialId(credential.id);
    if (!key || key.userId !== owner.id) {
      return this.refuse(owner, ip, purpose, 'unknown_credential', 'no such key for this user');
    }
    const checked = await this.ceremony.verifyAssertion(key, purpose, credential);
    if (!checked.ok) return this.refuse(owner, ip, purpose, checked.why, checked.detail, key);
    if (!(await this.keys.recordUse(key.id, checked.value.signCount, this.clock.now()))) {
      await this.audit.append({
        actor: owner.username,
        action: 'auth.security_key_counter_regression',
        target: owner.username,
        details: { ip, purpose, key: key.id, name: key.name, stored: key.signCount, received: checked.value.signCount },
      });
      return this.refuse(owner, ip, purpose, 'counter', 'the signature counter did not move forward', key);
    }
    await this.throttle.recordSuccess(throttleKey(owner), ip);
  }

  private async admit(owner: FactorOwner, ip: string): Promise<void> {
    const refusal = await this.throttle.admit(throttleKey(owner), ip);
    if (!refusal) return;
    const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1_000));
    throw new MfaError('rate_limited', `too many refused attempts; try again in ${seconds} s`, {
      retryAfterMs: refusal.retryAfterMs,
    });
  }

  private async refuse(
    owner: FactorOwner,
    ip: string,
    purpose: AssertionPurpose | 'register',
    why: string,
    detail: string,
    key?: SecurityKeyEntity,
  ): Promise<never> {
    await this.throttle.recordFailure(throttleKey(owner), ip);
    await this.audit.append({
      actor: owner.username,
      action: 'auth.security_key_refused',
      target: owner.username,
      details: { ip, purpose, why, detail, ...(key ? { key: key.id } : {}) },
    });
    throw new MfaError(
      'security_key_rejected',
      'the security key was not accepted',
      purpose === 'sign_in' ? { status: 'unauthenticated' } : {},
    );
  }
}

function throttleKey(owner: FactorOwner): string {
  return `mfa:${owner.username}`;
}

function view(row: SecurityKeyEntity): SecurityKey {
  return {
    id: row.id,
    name: row.name,
    transports: transportsOf(row),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  };
}
