// Decides, before any password is hashed, whether a sign-in attempt may be checked at
// all, and records what each checked attempt taught: per-account backoff in the
// database, per-source limits and spray detection in memory (source-limiter.ts).
//
// An account in backoff is refused whatever the password — a right guess during the
// wait is worth nothing — and the backoff is the account's, not the (account, address)
// pair's, so moving address does not reset it and sharing one does not lock out others.
import type { SignInThrottleConfig } from '../../config/config.schema';
import type { AuditService } from '../../audit/audit.service';
import type { Clock } from '../../common/clock';
import { backoffDelayMs, FAILURES_FORGOTTEN_AFTER_MS, type BackoffPolicy } from './backoff-policy';
import type { AccountBackoffRepository } from './account-backoff.repository';
import { sourceKey } from './client-address';
import { SourceLimiter } from './source-limiter';
import type { SprayNotices } from './spray-notices';

/** Sources held in memory at most (a few hundred bytes each). */
export const MAX_SOURCES = 10_000;
/** Idle backoff rows are pruned once per this many recorded failures. */
const PRUNE_EVERY = 500;

export interface ThrottleSettings extends SignInThrottleConfig {
  maxSources: number;
}

export type Refusal = { why: 'account_backoff' | 'source_limit'; retryAfterMs: number };

/** The account a username names, as backoff counts it: "Admin" and "admin" are one. */
export function accountKey(username: string): string {
  return username.trim().toLowerCase().slice(0, 128);
}

export class SignInThrottle {
  private readonly policy: BackoffPolicy;
  readonly sources: SourceLimiter;
  private failuresSincePrune = 0;

  constructor(
    private readonly backoff: AccountBackoffRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    settings: ThrottleSettings,
    private readonly sprayNotices?: SprayNotices,
  ) {
    this.policy = { freeFailures: settings.freeFailures, baseDelayMs: 1_000, maxDelayMs: settings.maxBackoffMs };
    this.sources = new SourceLimiter({
      perMinute: settings.sourcePerMinute,
      burst: settings.sourceBurst,
      sprayAccounts: settings.sprayAccounts,
      sprayWindowMs: settings.sprayWindowMs,
      maxSources: settings.maxSources,
    });
  }

  /**
   * Undefined when the attempt may go on to the password check (one source token is
   * then taken); otherwise why not and for how long. Memory first, then one indexed read.
   */
  async admit(username: string, address: string): Promise<Refusal | undefined> {
    const source = sourceKey(address);
    const now = this.clock.now();
    const sourceWait = this.sources.waitMs(source, now);
    if (sourceWait > 0) return { why: 'source_limit', retryAfterMs: sourceWait };
    const row = await this.backoff.find(accountKey(username));
    if (row && row.blockedUntil > now) return { why: 'account_backoff', retryAfterMs: row.blockedUntil - now };
    const taken = this.sources.take(source, now);
    return taken > 0 ? { why: 'source_limit', retryAfterMs: taken } : undefined;
  }

  /** A checked attempt failed: the account's count grows (and its wait with it), the source's spray count too. */
  async recordFailure(username: string, address: string): Promise<void> {
    const source = sourceKey(address);
    const now = this.clock.now();
    const account = accountKey(username);
    const failures = await this.backoff.addFailure(account, now, now - FAILURES_FORGOTTEN_AFTER_MS);
    const delay = backoffDelayMs(failures, this.policy);
    if (delay > 0) await this.backoff.blockUntil(account, now + delay);
    const spray = this.sources.recordFailure(source, account, now);
    if (spray) {
      await this.audit.append({
        actor: `ip:${source}`,
        action: 'auth.spray_suspected',
        target: source,
        details: { accounts: spray.accounts, windowMs: spray.windowMs, slowedUntil: now + spray.windowMs },
      });
      this.sprayNotices?.announce({ source, accounts: spray.accounts, windowMs: spray.windowMs, at: now });
    }
    if (++this.failuresSincePrune >= PRUNE_EVERY) {
      this.failuresSincePrune = 0;
      await this.backoff.deleteIdle(now - FAILURES_FORGOTTEN_AFTER_MS);
    }
  }

  /** A checked attempt succeeded: the account starts from zero and the source keeps its token. */
  async recordSuccess(username: string, address: string): Promise<void> {
    await this.backoff.clear(accountKey(username));
    this.sources.refund(sourceKey(address));
  }
}
