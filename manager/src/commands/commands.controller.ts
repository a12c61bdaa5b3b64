import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandQuery, IssueCommandRequest, UndoCommandRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  CommandPage,
  CommandQuery as CommandQueryParams,
  CommandView,
  IssueCommandRequest as IssueCommandBody,
  UndoCommandRequest as UndoCommandBody,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import type { CommandAction, IssuedCommand } from './command-issuer';
import { CommandId } from './command.schemas';
import { CommandsService } from './commands.service';

/** The contract's action from the API's flat form (`kind` plus the action's fields). */
function toAction(input: IssueCommandBody['action']): CommandAction {
  const { kind, ...value } = input;
  switch (kind) {
    case 'revokeSession':
    case 'lockScreen': {
      const v = value as { user: string; sessionId: string };
      return { $case: kind, value: { user: v.user, sessionId: v.sessionId } };
    }
    case 'killProcessTree': {
      const v = value as { pid: number; startTime: number; folderClass: string };
      return { $case: kind, value: { pid: v.pid, startTime: v.startTime, folderClass: v.folderClass } };
    }
    case 'blockRemovable':
      return { $case: kind, value: { durationSeconds: (value as { durationSeconds: number }).durationSeconds } };
    case 'disableAccount': {
      const v = value as { user: string; durationSeconds: number };
      return { $case: kind, value: { user: v.user, durationSeconds: v.durationSeconds } };
    }
    case 'collectDiagnostics':
      return { $case: kind, value: {} };
    case 'restoreFiles': {
      const v = value as { folderClass: string; sinceMs: number; removeCreatedExtensions: string[] };
      return {
        $case: kind,
        value: { folderClass: v.folderClass, sinceMs: v.sinceMs, removeCreatedExtensions: v.removeCreatedExtensions },
      };
    }
  }
}

@ApiTags('commands')
@ApiCookieAuth()
@Controller('api/v1/commands')
export class CommandsController {
  constructor(private readonly commands: CommandsService) {}

  @Get()
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('CommandPage') })
  list(@Query(new ZodPipe(CommandQuery)) query: CommandQueryParams): Promise<CommandPage> {
    return this.commands.page(query);
  }

  @Get(':id')
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('CommandView') })
  get(@Param('id', new ZodPipe(CommandId)) id: string): Promise<CommandView> {
    return this.commands.get(id);
  }

  /** A person sends a command to one agent (signed, queued while it is offline). */
  @Post()
  @RequirePermission('response:manage')
  @ApiBody({ schema: ref('IssueCommandRequest') })
  @ApiCreatedResponse({ description: '{ commandId, state: "sent" | "queued" }' })
  issue(
    @Body(new ZodPipe(IssueCommandRequest)) body: IssueCommandBody,
    @Req() req: AuthedRequest,
  ): Promise<IssuedCommand> {
    return this.commands.issue({
      agentId: body.agentId,
      action: toAction(body.action),
      reason: body.reason,
      warningSeconds: body.warningSeconds,
      automatic: false,
      dryRun: body.dryRun,
      expiresInSeconds: body.expiresInSeconds,
      decision: { source: 'user', actorId: req.user?.username ?? 'unknown' },
    });
  }

  /** Reverses a done block_removable, disable_account or lock_screen command. */
  @Post(':id/undo')
  @RequirePermission('response:manage')
  @ApiBody({ schema: ref('UndoCommandRequest') })
  @ApiCreatedResponse({ description: '{ commandId, state } of the UndoAction command' })
  undo(
    @Param('id', new ZodPipe(CommandId)) id: string,
    @Body(new ZodPipe(UndoCommandRequest)) body: UndoCommandBody,
    @Req() req: AuthedRequest,
  ): Promise<IssuedCommand> {
    return this.commands.undo(id, body.reason, req.user?.username ?? 'unknown');
  }
}
