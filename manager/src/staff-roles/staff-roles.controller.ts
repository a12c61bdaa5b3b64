import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SetStaffRoleRequest, StaffRoleQuery, UserToken } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  SetStaffRoleRequest as SetStaffRoleBody,
  StaffRolePage,
  StaffRoleQuery as StaffRoleQueryShape,
  StaffRoleView,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { StaffRoleService } from './staff-role.service';

/** Staff roles feed playbooks, so whoever manages playbooks keeps them (admins). */
@ApiTags('staff-roles')
@ApiCookieAuth()
@RequirePermission('playbooks:manage')
@Controller('api/v1/staff-roles')
export class StaffRolesController {
  constructor(private readonly roles: StaffRoleService) {}

  @Get()
  @ApiOkResponse({ schema: ref('StaffRolePage') })
  list(@Query(new ZodPipe(StaffRoleQuery)) query: StaffRoleQueryShape): Promise<StaffRolePage> {
    return this.roles.page(query);
  }

  @Put(':userToken')
  @ApiBody({ schema: ref('SetStaffRoleRequest') })
  @ApiOkResponse({ schema: ref('StaffRoleView') })
  set(
    @Param('userToken', new ZodPipe(UserToken)) userToken: string,
    @Body(new ZodPipe(SetStaffRoleRequest)) body: SetStaffRoleBody,
    @Req() req: AuthedRequest,
  ): Promise<StaffRoleView> {
    return this.roles.set(userToken, body.role, req.user?.username ?? 'unknown');
  }

  @Delete(':userToken')
  @HttpCode(204)
  remove(@Param('userToken', new ZodPipe(UserToken)) userToken: string, @Req() req: AuthedRequest): Promise<void> {
    return this.roles.remove(userToken, req.user?.username ?? 'unknown');
  }
}
