import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { AuthModule } from '../auth.module';
import { OidcController } from './oidc.controller';
import { OidcIdentityRepository } from './oidc-identity.repository';
import { OidcProviderClient } from './oidc-provider.client';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcTransactionRepository } from './oidc-transaction.repository';

/**
 * Single sign-on through an OpenID provider (authorization code flow with PKCE), ending in
 * the same sessions as a password sign-in (auth/). Its routes answer "not configured" unless
 * WARDWATCH_OIDC_ISSUER is set.
 */
@Module({
  imports: [AuditModule, AuthModule],
  controllers: [OidcController],
  providers: [OidcProviderClient, OidcTransactionRepository, OidcIdentityRepository, OidcSignInService],
})
export class OidcModule {}
