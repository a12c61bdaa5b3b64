// Single sign-on: the start of a sign-in (a single-use transaction holding state, nonce and
// PKCE verifier) and its end at the callback (the provider's answer checked, the user found
// by (issuer, subject) or provisioned, the role re-evaluated, a session as after a password).
//
// Invariants:
// - A transaction completes at most once, in the browser that started it (its cookie), and
//   not after TRANSACTION_TTL_MS; a second callback with the same cookie is refused.
// - A user is found by the provider's (issuer, subject) only; never by name or e-mail.
// - No role mapped from the claim: refused. A disabled user: refused. A mapped role other
//   than the stored one: the role changes and every other session of the user ends (as when
//   an admin changes it), in the transaction that audits it.
// - Every refusal is audited as `auth.sso_sign_in_failed` with its reason.
import { Inject, Injectable } from '@nestjs/common';
import type { UserRole } from '@wardwatch/shared';
import { AuditService } from '../../audit/audit.service';
import { Clock, RandomSource } from '../../common/clock';
import { sha256Hex } from '../../common/hash';
import { MANAGER_CONFIG, type ManagerConfig } from '../../config/config.schema';
import { TransactionRunner, type Tx } from '../../database/transaction.runner';
import { AccountService } from '../account.service';
import { AuthError } from '../auth.errors';
import type { SignedIn } from '../auth.service';
import { currentUser } from '../current-user';
import { SessionService } from '../session.service';
import type { UserEntity } from '../user.entity';
import { OidcIdentityRepository } from './oidc-identity.repository';
import { OidcTransactionRepository } from './oidc-transaction.repository';
import { OidcProviderClient, ProviderRefusal, type IdClaims } from './oidc-provider.client';
import { mapRole } from './role-mapping';
import { usernameCandidates } from './sso-username';

/** How long a browser may take at the provider before the sign-in must start over. */
export const TRANSACTION_TTL_MS = 10 * 60_000;

/** Stored instead of a password hash: it never verifies, so the account has no password sign-in. */
export const NO_PASSWORD = 'sso-only';

export interface StartedSignIn {
  redirect: URL;
  /** The browser keeps it in a short-lived cookie until the callback. */
  transactionToken: string;
  maxAgeSeconds: number;
}

type Outcome = { user: UserEntity; roleFrom?: UserRole; created: boolean } | { refused: string };

@Injectable()
export class OidcSignInService {
  constructor(
    private readonly provider: OidcProviderClient,
    private readonly pending: OidcTransactionRepository,
    private readonly identities: OidcIdentityRepository,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'oidc'>,
  ) {}

  get enabled(): boolean {
    return this.provider.enabled;
  }

  async start(ip: string): Promise<StartedSignIn> {
    if (!this.enabled) throw new AuthError('forbidden', 'single sign-on is not configured');
    let request;
    try {
      request = await this.provider.authorizationRequest();
    } catch (error) {
      throw await this.refuse(ip, error instanceof ProviderRefusal ? error.reason : 'provider_unreachable');
    }
    const transactionToken = this.random.token('wwo_');
    const now = this.clock.now();
    await this.pending.deleteExpired(now);
    await this.pending.insert({
      tokenHash: sha256Hex(transactionToken),
      state: request.state,
      nonce: request.nonce,
      codeVerifier: request.codeVerifier,
      expiresAt: now + TRANSACTION_TTL_MS,
    });
    return { redirect: request.url, transactionToken, maxAgeSeconds: TRANSACTION_TTL_MS / 1_000 };
  }

  /** The callback: `search` is its query string as the browser sent it. */
  async finish(transactionToken: string | undefined, search: string, ip: string): Promise<SignedIn> {
    if (!this.enabled) throw new AuthError('forbidden', 'single sign-on is not configured');
    if (!transactionToken) throw await this.refuse(ip, 'no_transaction_cookie');
    const pending = await this.pending.take(sha256Hex(transactionToken));
    if (!pending) throw await this.refuse(ip, 'unknown_or_used_transaction');
    if (this.clock.now() >= pending.expiresAt) throw await this.refuse(ip, 'transaction_expired');
    if (new URLSearchParams(search).get('state') !== pending.state) throw await this.refuse(ip, 'state_mismatch');
    let claims: IdClaims;
    try {
      claims = await this.provider.redeem(search, pending);
    } catch (error) {
      throw await this.refuse(ip, error instanceof ProviderRefusal ? error.reason : 'provider_unreachable');
    }
    // The identity table's columns; a longer subject is no provider we can link to.
    if (claims.sub.length > 255 || claims.iss.length > 512) throw await this.refuse(ip, 'subject_too_long');
    const who = `${claims.iss} ${claims.sub}`.slice(0, 128);
    const settings = this.config.oidc;
    const role = settings ? mapRole(claims[settings.roleClaim], settings.roleRules) : undefined;
    if (!role) throw await this.refuse(ip, 'no_role_mapping', who);
    const outcome = await this.transactions.run((tx) => this.resolveUser(claims, role, tx));
    if ('refused' in outcome) throw await this.refuse(ip, outcome.refused, who);
    if (outcome.roleFrom) this.accounts.sessionsEnded(outcome.user.id, 'role_change');
    const { token, expiresAt } = await this.sessions.start(outcome.user.id);
    await this.audit.append({
      actor: outcome.user.username,
      action: 'auth.sso_sign_in',
      target: outcome.user.username,
      details: { ip, issuer: claims.iss, subject: claims.sub, role, created: outcome.created },
    });
    return { token, expiresAt, user: currentUser(outcome.user) };
  }

  /** Finds or provisions the user of (iss, sub) and brings its role in line with the claim. */
  private async resolveUser(claims: IdClaims, role: UserRole, tx: Tx): Promise<Outcome> {
    const now = this.clock.now();
    const identity = await this.identities.find(claims.iss, claims.sub, tx);
    if (!identity) return this.provision(claims, role, now, tx);
    const user = await this.accounts.findById(identity.userId, tx);
    if (!user) return { refused: 'linked_user_missing' };
    if (user.disabledAt !== null) return { refused: 'disabled' };
    await this.identities.signedIn(claims.iss, claims.sub, now, tx);
    if (user.role === role) return { user, created: false };
    const sessionsEnded = await this.accounts.changeRole(user.id, role, tx);
    await this.audit.append(
      {
        actor: 'sso',
        action: 'user.role_change',
        target: user.username,
        details: { id: user.id, from: user.role, to: role, sessionsEnded, issuer: claims.iss },
      },
      tx,
    );
    return { user: { ...user, role }, roleFrom: user.role, created: false };
  }

  private async provision(claims: IdClaims, role: UserRole, now: number, tx: Tx): Promise<Outcome> {
    if (!this.config.oidc?.provisionUnknownUsers) return { refused: 'not_linked' };
    let username: string | undefined;
    for (const candidate of usernameCandidates(claims.preferred_username, claims.iss, claims.sub)) {
      if (!(await this.accounts.usernameTaken(candidate, tx))) {
        username = candidate;
        break;
      }
    }
    if (!username) return { refused: 'no_free_username' };
    const user: UserEntity = {
      id: this.random.uuid(),
      username,
      passwordHash: NO_PASSWORD,
      role,
      createdAt: now,
      disabledAt: null,
      mustChangePassword: false,
    };
    await this.accounts.create(user, tx);
    await this.identities.insert(
      { issuer: claims.iss, subject: claims.sub, userId: user.id, createdAt: now, lastSignInAt: now },
      tx,
    );
    await this.audit.append(
      {
        actor: 'sso',
        action: 'user.create',
        target: username,
        details: { role, id: user.id, issuer: claims.iss, subject: claims.sub },
      },
      tx,
    );
    return { user, created: true };
  }

  /** Audits a refused SSO sign-in and returns the error the browser is told about. */
  private async refuse(ip: string, reason: string, target = ''): Promise<AuthError> {
    await this.audit.append({
      actor: `ip:${ip}`,
      action: 'auth.sso_sign_in_failed',
      target: target || 'sso',
      details: { reason: reason.slice(0, 200) },
    });
    return new AuthError(reason === 'disabled' ? 'forbidden' : 'unauthenticated', reason);
  }
}
