// Checks one second-factor code of a user, for whatever asks (the sign-in step, turning
// the factor off, new recovery codes). Throttled with the sign-in throttle's backoff
// under the account's own `mfa:` key, so guessing codes slows down exactly like
// guessing passwords but does not lock the password step; every refusal is audited.
import { Injectable } from '@nestjs/common';
import { RecoveryCode } from '@wardwatch/shared';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { SignInThrottle } from '../throttle/sign-in-throttle';
import { MfaCrypto } from './mfa-crypto';
import { MfaError } from './mfa.errors';
import { MfaRepository } from './mfa.repository';
import type { UserMfaEntity } from './mfa.entity';
import { checkTotp } from './totp';

export type FactorPurpose = 'sign_in' | 'confirm' | 'disable' | 'recovery_codes' | 'remove_security_key';
export type FactorUsed = 'totp' | 'recovery_code' | 'security_key';

export interface FactorOwner {
  id: string;
  username: string;
}

@Injectable()
export class MfaFactorCheck {
  constructor(
    private readonly factors: MfaRepository,
    private readonly crypto: MfaCrypto,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Accepts the code (a TOTP code; a recovery code too when `allowRecovery`) or throws.
   * An accepted TOTP step, or recovery code, is spent: the same one is refused next time.
   * `factor` is the row to check; a pending (unconfirmed) one only for `confirm`; null for an
   * account without an app (security keys only), where only a recovery code can pass.
   */
  async verify(
    owner: FactorOwner,
    factor: UserMfaEntity | null,
    code: string,
    ip: string,
    purpose: FactorPurpose,
    allowRecovery: boolean,
  ): Promise<FactorUsed> {
    const key = `mfa:${owner.username}`;
    const refusal = await this.throttle.admit(key, ip);
    if (refusal) {
      const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1_000));
      throw new MfaError('rate_limited', `too many wrong codes; try again in ${seconds} s`, {
        retryAfterMs: refusal.retryAfterMs,
      });
    }
    const used = await this.spend(owner, factor, code, allowRecovery);
    if (used === 'wrong' || used === 'replay') {
      await this.throttle.recordFailure(key, ip);
      await this.audit.append({
        actor: owner.username,
        action: 'auth.mfa_failed',
        target: owner.username,
        details: { ip, purpose, why: used },
      });
      const message = used === 'replay' ? 'this code was used already; wait for the next one' : 'wrong code';
      throw new MfaError('mfa_code_rejected', message, purpose === 'sign_in' ? { status: 'unauthenticated' } : {});
    }
    await this.throttle.recordSuccess(key, ip);
    if (used === 'recovery_code') {
      const left = await this.factors.countUnusedRecoveryCodes(owner.id);
      await this.audit.append({
        actor: owner.username,
        action: 'auth.mfa_recovery_code_used',
        target: owner.username,
        details: { ip, purpose, left },
      });
    }
    return used;
  }

  private async spend(
    owner: FactorOwner,
    factor: UserMfaEntity | null,
    code: string,
    allowRecovery: boolean,
  ): Promise<FactorUsed | 'wrong' | 'replay'> {
    const now = this.clock.now();
    if (allowRecovery && RecoveryCode.safeParse(code).success) {
      const hash = this.crypto.recoveryHash(owner.id, code);
      return (await this.factors.useRecoveryCode(owner.id, hash, now)) ? 'recovery_code' : 'wrong';
    }
    if (!factor) return 'wrong'; // no app: a six-digit code cannot be right
    const secret = this.crypto.open(factor.sealedSecret, owner.id);
    if (!secret) return 'wrong'; // sealed under another key: the key file was replaced
    const check = checkTotp(secret, code.trim(), now, factor.lastStep);
    if (!check.ok) return check.why;
    // A pending factor's step is written when it is confirmed; a confirmed one's here, atomically.
    if (factor.confirmedAt === null) {
      factor.lastStep = check.step;
      return 'totp';
    }
    return (await this.factors.advanceStep(owner.id, check.step)) ? 'totp' : 'replay';
  }
}
