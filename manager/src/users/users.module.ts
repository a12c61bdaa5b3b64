import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** User management for admins: create with a role and a one-time password, list, disable. */
@Module({ imports: [AuditModule, AuthModule], controllers: [UsersController], providers: [UsersService] })
export class UsersModule {}
