import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { StaffRoleRepository } from './staff-role.repository';
import { StaffRoleService } from './staff-role.service';
import { StaffRolesController } from './staff-roles.controller';

/** The clinical role of each monitored user by token, kept by admins; playbooks read it. */
@Module({
  imports: [AuditModule],
  controllers: [StaffRolesController],
  providers: [StaffRoleRepository, StaffRoleService],
  exports: [StaffRoleService],
})
export class StaffRolesModule {}
