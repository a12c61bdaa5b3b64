import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { AuthModule } from '../auth.module';
import { OidcController } from './oidc.controller';
import { OidcIdentityRepository } from './oidc-identity.repository';
import { OidcProviderClient } from './oidc-provider.client';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcTransactionRepository } from './oidc-transaction.repository';
import { SsoLinksController } from './sso-links.controller';
import { SsoLinksService } from './sso-links.service';

/**
 * Single sign-on through an OpenID provider (authorization code flow with PKCE), ending in
 * the same sessions as a password sign-in (auth/). Its routes answer "not configured" unless
 * WARDWATCH_OIDC_ISSUER is set. Admins link and unlink accounts' provider identities (sso-links.*).
 */
@Module({
  imports: [AuditModule, AuthModule],
  controllers: [OidcController, SsoLinksController],
  providers: [
    OidcProviderClient,
    OidcTransactionRepository,
    OidcIdentityRepository,
    OidcSignInService,
    SsoLinksService,
  ],
})
export class OidcModule {}
