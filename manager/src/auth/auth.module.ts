import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { AccountService } from './account.service';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate.limiter';
import { PasswordHasher } from './password.hasher';
import { SessionBoundStreams } from './session-bound-streams.interceptor';
import { SessionGuard } from './session.guard';
import { SessionRevocations } from './session-revocations';
import { SessionService } from './session.service';
import { SessionRepository } from './session.repository';
import { UserRepository } from './user.repository';

/**
 * Accounts and sign-in: passwords, sessions (ended on disable, role or password change,
 * sign-out, idle and absolute expiry, with their live streams), the guard on every route,
 * the first admin.
 * Exports AccountService (and the hasher) to `users/`, which manages accounts for admins.
 */
@Module({
  imports: [AuditModule],
  controllers: [AuthController],
  providers: [
    UserRepository,
    SessionRepository,
    SessionRevocations,
    SessionService,
    PasswordHasher,
    LoginRateLimiter,
    AuthService,
    AccountService,
    AdminBootstrapService,
    { provide: APP_GUARD, useClass: SessionGuard },
    { provide: APP_INTERCEPTOR, useClass: SessionBoundStreams },
  ],
  exports: [AccountService, PasswordHasher, AdminBootstrapService],
})
export class AuthModule {}
