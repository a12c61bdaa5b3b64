// A user's own second factor: enrol (a secret shown once, confirmed by a first code),
// recovery codes (ten, shown once, stored as keyed hashes), turning it off with a
// current code; and an admin's reset of someone else's. Each change and its audit row
// commit in one transaction.
import { Injectable } from '@nestjs/common';
import type { FreshSecondFactor, MfaEnrollment, MfaStatus, UserRole } from '@wardwatch/shared';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { TransactionRunner, type Tx } from '../../database/transaction.runner';
import { SessionService } from '../session.service';
import { UserRepository } from '../user.repository';
import { base32Encode } from './base32';
import { MfaCrypto } from './mfa-crypto';
import { MfaFactorCheck, type FactorOwner } from './mfa-factor-check';
import { MfaGate } from './mfa-gate';
import { MfaError } from './mfa.errors';
import { MfaRepository } from './mfa.repository';
import { SecurityKeyRepository } from './webauthn/security-key.repository';
import { SecurityKeyService } from './webauthn/security-key.service';
import type { UserMfaEntity } from './mfa.entity';
import { otpauthUri } from './totp';

export const OTP_ISSUER = 'WardWatch';

export interface MfaUser extends FactorOwner {
  role: UserRole;
}

@Injectable()
export class MfaEnrollmentService {
  constructor(
    private readonly factors: MfaRepository,
    private readonly securityKeys: SecurityKeyRepository,
    private readonly keySignatures: SecurityKeyService,
    private readonly crypto: MfaCrypto,
    private readonly check: MfaFactorCheck,
    private readonly gate: MfaGate,
    private readonly users: UserRepository,
    private readonly sessions: SessionService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async status(user: MfaUser): Promise<MfaStatus> {
    const enabled = await this.factors.isEnabled(user.id);
    // Recovery codes serve whichever factor the user has: the app, security keys, or both.
    const securityKeys = await this.securityKeys.hasAny(user.id);
    return {
      enabled,
      required: this.gate.requiredFor(user.role),
      recoveryCodesLeft: enabled || securityKeys ? await this.factors.countUnusedRecoveryCodes(user.id) : 0,
      securityKeys,
    };
  }

  /** A new secret, replacing an unconfirmed one; refused while a confirmed factor exists (turn it off first). */
  async begin(user: MfaUser): Promise<MfaEnrollment> {
    if (await this.factors.isEnabled(user.id)) {
      throw new MfaError('mfa_already_enabled', 'a second factor is set up already; turn it off first');
    }
    const secret = this.crypto.newSecret();
    const row: UserMfaEntity = {
      userId: user.id,
      sealedSecret: this.crypto.seal(secret, user.id),
      createdAt: this.clock.now(),
      confirmedAt: null,
      lastStep: null,
    };
    await this.transactions.run(async (tx) => {
      await this.factors.replacePending(row, tx);
      await this.audit.append(
        { actor: user.username, action: 'auth.mfa_enrollment_started', target: user.username },
        tx,
      );
    });
    const text = base32Encode(secret);
    return { secret: text, otpauthUri: otpauthUri(OTP_ISSUER, user.username, text) };
  }

  /** The first code proves the app holds the secret: the factor is on, and ten recovery codes are made. */
  async confirm(user: MfaUser, code: string, ip: string): Promise<string[]> {
    const factor = await this.factors.find(user.id);
    if (!factor) throw new MfaError('mfa_not_enrolled', 'start the set-up first');
    if (factor.confirmedAt !== null) throw new MfaError('mfa_already_enabled', 'a second factor is set up already');
    await this.check.verify(user, factor, code, ip, 'confirm', false);
    const codes = this.crypto.newRecoveryCodes();
    await this.transactions.run(async (tx) => {
      if (!(await this.factors.confirm(user.id, this.clock.now(), factor.lastStep ?? 0, tx))) {
        throw new MfaError('mfa_already_enabled', 'this set-up was confirmed or replaced meanwhile');
      }
      await this.storeRecoveryCodes(user, codes, tx);
      await this.audit.append(
        { actor: user.username, action: 'auth.mfa_enabled', target: user.username, details: { ip } },
        tx,
      );
    });
    return codes;
  }

  /**
   * Ten new recovery codes for a fresh second factor (a current code from the app, or a
   * signature of one of the user's keys: a keys-only user has no app); the old ones stop working.
   */
  async regenerateRecoveryCodes(user: MfaUser, proof: FreshSecondFactor, ip: string): Promise<string[]> {
    await this.keySignatures.confirmFresh(user, proof, ip, 'recovery_codes');
    const codes = this.crypto.newRecoveryCodes();
    const confirmedWith = proof.credential ? 'security_key' : 'totp';
    await this.transactions.run(async (tx) => {
      await this.storeRecoveryCodes(user, codes, tx);
      await this.audit.append(
        {
          actor: user.username,
          action: 'auth.mfa_recovery_codes_regenerated',
          target: user.username,
          details: { ip, confirmedWith },
        },
        tx,
      );
    });
    return codes;
  }

  /**
   * Turns the caller's own app off; needs a current code, so a borrowed session alone cannot.
   * The recovery codes go with it unless the user keeps a security key, which they also serve.
   */
  async disable(user: MfaUser, code: string, ip: string): Promise<void> {
    const factor = await this.confirmedFactor(user.id);
    await this.check.verify(user, factor, code, ip, 'disable', false);
    const keepsKeys = await this.securityKeys.hasAny(user.id);
    await this.transactions.run(async (tx) => {
      if (keepsKeys) await this.factors.removeApp(user.id, tx);
      else await this.factors.remove(user.id, tx);
      await this.audit.append(
        {
          actor: user.username,
          action: 'auth.mfa_disabled',
          target: user.username,
          details: { ip, required: this.gate.requiredFor(user.role), recoveryCodesKept: keepsKeys },
        },
        tx,
      );
    });
  }

  /**
   * An admin removes another user's factors, app and security keys (a lost phone or key). That user's sessions end: whoever
   * holds one may be the person who took the phone. Their own factor they turn off themselves.
   */
  async reset(admin: FactorOwner, targetId: string): Promise<number> {
    const target = await this.users.findById(targetId);
    if (!target) throw new MfaError('user_not_found', 'no such user');
    if (target.id === admin.id) {
      throw new MfaError('mfa_reset_own', 'turn your own second factor off from your account page, with a code');
    }
    const sessionsEnded = await this.transactions.run(async (tx) => {
      const had = await this.factors.remove(target.id, tx);
      const securityKeys = await this.securityKeys.removeAllOf(target.id, tx);
      const ended = await this.sessions.endAllOf(target.id, tx);
      await this.audit.append(
        {
          actor: admin.username,
          action: 'auth.mfa_reset',
          target: target.username,
          details: { hadFactor: had || securityKeys > 0, securityKeys, sessionsEnded: ended },
        },
        tx,
      );
      return ended;
    });
    // The stream notice's reason list is shared with the rest of auth: this ending reads as "everywhere".
    this.sessions.announceEnded(target.id, 'signed_out_everywhere');
    return sessionsEnded;
  }

  private async confirmedFactor(userId: string): Promise<UserMfaEntity> {
    const factor = await this.factors.find(userId);
    if (!factor || factor.confirmedAt === null) throw new MfaError('mfa_not_enrolled', 'no second factor is set up');
    return factor;
  }

  private storeRecoveryCodes(user: FactorOwner, codes: string[], tx: Tx): Promise<void> {
    const hashes = codes.map((code) => this.crypto.recoveryHash(user.id, code));
    return this.factors.replaceRecoveryCodes(user.id, hashes, this.clock.now(), tx);
  }
}
