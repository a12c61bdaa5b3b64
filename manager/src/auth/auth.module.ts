import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { AccountService } from './account.service';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordHasher, SCRYPT_PARAMS } from './password.hasher';
import { SessionBoundStreams } from './session-bound-streams.interceptor';
import { SessionGuard } from './session.guard';
import { SessionRevocations } from './session-revocations';
import { SessionService } from './session.service';
import { SessionRepository } from './session.repository';
import { AccountBackoffRepository } from './throttle/account-backoff.repository';
import { TrustedProxies } from './throttle/client-address';
import { MAX_SOURCES, SignInThrottle } from './throttle/sign-in-throttle';
import { SprayNotices } from './throttle/spray-notices';
import { UserRepository } from './user.repository';
import { mfaControllers, mfaProviders } from './mfa/mfa.providers';
import { SignInEdge } from './session-cookie';

/**
 * Accounts and sign-in: passwords, sessions (ended on disable, role or password change,
 * sign-out, idle and absolute expiry, with their live streams), the guard on every route,
 * the first admin.
 * Exports AccountService (and the hasher) to `users/`, which manages accounts for admins.
 */
@Module({
  imports: [AuditModule],
  controllers: [AuthController, ...mfaControllers],
  providers: [
    UserRepository,
    SessionRepository,
    SessionRevocations,
    SessionService,
    { provide: SCRYPT_PARAMS, inject: [MANAGER_CONFIG], useFactory: (config: ManagerConfig) => config.passwordHashing },
    PasswordHasher,
    AccountBackoffRepository,
    SprayNotices,
    {
      provide: SignInThrottle,
      inject: [AccountBackoffRepository, AuditService, Clock, MANAGER_CONFIG, SprayNotices],
      useFactory: (
        backoff: AccountBackoffRepository,
        audit: AuditService,
        clock: Clock,
        config: ManagerConfig,
        notices: SprayNotices,
      ) => new SignInThrottle(backoff, audit, clock, { ...config.signIn, maxSources: MAX_SOURCES }, notices),
    },
    {
      provide: TrustedProxies,
      inject: [MANAGER_CONFIG],
      useFactory: (config: ManagerConfig) => new TrustedProxies(config.signIn.trustedProxies),
    },
    SignInEdge,
    AuthService,
    AccountService,
    AdminBootstrapService,
    ...mfaProviders,
    { provide: APP_GUARD, useClass: SessionGuard },
    { provide: APP_INTERCEPTOR, useClass: SessionBoundStreams },
  ],
  // SessionService and TrustedProxies also for oidc/, whose sign-ins end in the same sessions.
  // SprayNotices for sign-in-alerts/, which raises an alert when a source sprays passwords.
  exports: [
    AccountService,
    PasswordHasher,
    AdminBootstrapService,
    SessionService,
    TrustedProxies,
    SignInEdge,
    SprayNotices,
  ],
})
export class AuthModule {}
