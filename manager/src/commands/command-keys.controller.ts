import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MaintenanceCodeRequest } from '@wardwatch/shared';
import type {
  CommandKeyRotation,
  MaintenanceCodeRequest as MaintenanceCodeBody,
  MaintenanceCodeView,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { AdminOnly, RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { AgentIdParam } from './command.schemas';
import { CommandKeysService } from './command-keys.service';

@ApiTags('commands')
@ApiCookieAuth()
@Controller('api/v1')
export class CommandKeysController {
  constructor(private readonly keys: CommandKeysService) {}

  /** A new command key; every agent is sent it, signed by the key it holds. */
  @Post('command-keys/rotate')
  @AdminOnly()
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('CommandKeyRotation') })
  rotate(@Req() req: AuthedRequest): Promise<CommandKeyRotation> {
    return this.keys.rotate(req.user?.username ?? 'unknown');
  }

  /** A signed code IT staff type into the workstation's tray to start maintenance mode there. */
  @Post('agents/:id/maintenance-code')
  @RequirePermission('response:manage')
  @HttpCode(200)
  @ApiBody({ schema: ref('MaintenanceCodeRequest') })
  @ApiOkResponse({ schema: ref('MaintenanceCodeView') })
  maintenanceCode(
    @Param('id', new ZodPipe(AgentIdParam)) id: string,
    @Body(new ZodPipe(MaintenanceCodeRequest)) body: MaintenanceCodeBody,
    @Req() req: AuthedRequest,
  ): Promise<MaintenanceCodeView> {
    return this.keys.maintenanceCode(id, body, req.user?.username ?? 'unknown');
  }
}
