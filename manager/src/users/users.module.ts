import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { DutyRequestsModule } from '../duty-requests/duty-requests.module';
import { RoleGrantsController } from './role-grants.controller';
import { RoleGrantsService } from './role-grants.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Account management for admins; a grant of admin or privacy officer waits for a second admin. */
@Module({
  imports: [AuditModule, AuthModule, DutyRequestsModule],
  // The grants' routes first: `users/grants` is not a user id.
  controllers: [RoleGrantsController, UsersController],
  providers: [UsersService, RoleGrantsService],
})
export class UsersModule {}
