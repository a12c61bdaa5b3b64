// An admin links an existing account to its identity at the OpenID provider (issuer + sub),
// so its holder signs in through SSO as that account, or removes the link. Each change is
// audited in its own transaction; one provider identity belongs to one account at most.
import { Injectable } from '@nestjs/common';
import type { SsoIdentityRequest, SsoIdentityView } from '@wardwatch/shared';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/transaction.runner';
import { AccountService } from '../account.service';
import type { OidcIdentityEntity } from './oidc-identity.entity';
import { OidcIdentityRepository } from './oidc-identity.repository';
import { SsoLinkError } from './sso-link.errors';

function view(identity: OidcIdentityEntity): SsoIdentityView {
  return {
    issuer: identity.issuer,
    subject: identity.subject,
    createdAt: identity.createdAt,
    lastSignInAt: identity.lastSignInAt,
  };
}

@Injectable()
export class SsoLinksService {
  constructor(
    private readonly identities: OidcIdentityRepository,
    private readonly accounts: AccountService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(userId: string): Promise<SsoIdentityView[]> {
    if (!(await this.accounts.findById(userId))) throw new SsoLinkError('not_found', 'no such user');
    return (await this.identities.ofUser(userId)).map(view);
  }

  async link(userId: string, request: SsoIdentityRequest, actor: string): Promise<SsoIdentityView> {
    return this.transactions.run(async (tx) => {
      const user = await this.accounts.findById(userId, tx);
      if (!user) throw new SsoLinkError('not_found', 'no such user');
      const existing = await this.identities.find(request.issuer, request.subject, tx);
      if (existing) {
        throw new SsoLinkError(
          'conflict',
          existing.userId === userId
            ? 'this identity is already linked to this user'
            : 'this identity is linked to another user',
        );
      }
      const identity: OidcIdentityEntity = { ...request, userId, createdAt: this.clock.now(), lastSignInAt: null };
      await this.identities.insert(identity, tx);
      await this.audit.append(
        { actor, action: 'user.sso_link', target: user.username, details: { id: userId, ...request } },
        tx,
      );
      return view(identity);
    });
  }

  async unlink(userId: string, request: SsoIdentityRequest, actor: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const user = await this.accounts.findById(userId, tx);
      if (!user) throw new SsoLinkError('not_found', 'no such user');
      if (!(await this.identities.deleteOf(userId, request.issuer, request.subject, tx))) {
        throw new SsoLinkError('not_found', 'this identity is not linked to this user');
      }
      await this.audit.append(
        { actor, action: 'user.sso_unlink', target: user.username, details: { id: userId, ...request } },
        tx,
      );
    });
  }
}
