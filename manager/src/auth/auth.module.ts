import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { AccountService } from './account.service';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate.limiter';
import { PasswordHasher } from './password.hasher';
import { SessionGuard } from './session.guard';
import { SessionRepository } from './session.repository';
import { UserRepository } from './user.repository';

/**
 * Accounts and sign-in: passwords, sessions, the guard on every route, the first admin.
 * Exports AccountService (and the hasher) to `users/`, which manages accounts for admins.
 */
@Module({
  imports: [AuditModule],
  controllers: [AuthController],
  providers: [
    UserRepository,
    SessionRepository,
    PasswordHasher,
    LoginRateLimiter,
    AuthService,
    AccountService,
    AdminBootstrapService,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [AccountService, PasswordHasher, AdminBootstrapService],
})
export class AuthModule {}
