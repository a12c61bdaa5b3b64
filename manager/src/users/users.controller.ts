import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { ChangeRoleRequest, CreateUserRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  ChangeRoleRequest as ChangeRoleBody,
  CreatedUser,
  CreateUserRequest as CreateUserBody,
  DutyRequestView,
  SessionsEnded,
  UserList,
  UserView,
} from '@wardwatch/shared';
import { RequirePermission } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { UserId } from './user.schemas';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiCookieAuth()
@RequirePermission('users:manage')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ schema: ref('UserList') })
  async list(): Promise<UserList> {
    return { items: await this.users.list() };
  }

  /** The answer carries the one-time password, once; the user must replace it at first sign-in. */
  @Post()
  @ApiBody({ schema: ref('CreateUserRequest') })
  @ApiCreatedResponse({ schema: ref('CreatedUser') })
  create(@Body(new ZodPipe(CreateUserRequest)) body: CreateUserBody, @Req() req: AuthedRequest): Promise<CreatedUser> {
    return this.users.create(body, req.user?.username ?? 'unknown');
  }

  /** Ends the user's sessions (their live streams close) and refuses further sign-ins. */
  @Post(':id/disable')
  @ApiOkResponse({ schema: ref('UserView') })
  disable(@Param('id', new ZodPipe(UserId)) id: string, @Req() req: AuthedRequest): Promise<UserView> {
    return this.users.disable(id, req.user?.username ?? 'unknown');
  }

  /**
   * Another role; the user's sessions end, so the new role applies from the next sign-in.
   * Admin or privacy officer: 202 with the pending grant a second admin must approve.
   */
  @Post(':id/role')
  @HttpCode(200)
  @ApiBody({ schema: ref('ChangeRoleRequest') })
  @ApiOkResponse({ schema: ref('UserView') })
  @ApiAcceptedResponse({ schema: ref('DutyRequestView') })
  async changeRole(
    @Param('id', new ZodPipe(UserId)) id: string,
    @Body(new ZodPipe(ChangeRoleRequest)) body: ChangeRoleBody,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<UserView | DutyRequestView> {
    const outcome = await this.users.changeRole(id, body.role, req.user?.username ?? 'unknown', body.reason);
    if ('user' in outcome) return outcome.user;
    res.statusCode = 202;
    return outcome.pending;
  }

  /** Ends every session of the user now; their live streams close. */
  @Post(':id/sign-out-everywhere')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('SessionsEnded') })
  signOutEverywhere(@Param('id', new ZodPipe(UserId)) id: string, @Req() req: AuthedRequest): Promise<SessionsEnded> {
    return this.users.signOutEverywhere(id, req.user?.username ?? 'unknown');
  }
}
