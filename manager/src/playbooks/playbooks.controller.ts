import { Body, Controller, Get, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PlaybookDefinition, PlaybookId, PlaybookUpdateRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  PlaybookDefinition as PlaybookDefinitionBody,
  PlaybookList,
  PlaybookUpdateRequest as PlaybookUpdateBody,
  PlaybookView,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { PlaybookService } from './playbook.service';

/** Playbooks: a bad definition is answered 400 with each problem's path and message (zod issues). */
@ApiTags('playbooks')
@ApiCookieAuth()
@RequirePermission('playbooks:manage')
@Controller('api/v1/playbooks')
export class PlaybooksController {
  constructor(private readonly playbooks: PlaybookService) {}

  @Get()
  @ApiOkResponse({ schema: ref('PlaybookList') })
  async list(): Promise<PlaybookList> {
    return { items: await this.playbooks.list() };
  }

  @Get(':id')
  @ApiOkResponse({ schema: ref('PlaybookView') })
  get(@Param('id', new ZodPipe(PlaybookId)) id: string): Promise<PlaybookView> {
    return this.playbooks.get(id);
  }

  /** Every version, newest first (earlier ones are read-only). */
  @Get(':id/versions')
  @ApiOkResponse({ schema: ref('PlaybookList') })
  async versions(@Param('id', new ZodPipe(PlaybookId)) id: string): Promise<PlaybookList> {
    return { items: await this.playbooks.versions(id) };
  }

  @Post()
  @ApiBody({ schema: ref('PlaybookDefinition') })
  @ApiCreatedResponse({ schema: ref('PlaybookView') })
  create(
    @Body(new ZodPipe(PlaybookDefinition)) body: PlaybookDefinitionBody,
    @Req() req: AuthedRequest,
  ): Promise<PlaybookView> {
    return this.playbooks.create(body, req.user?.username ?? 'unknown');
  }

  /** Saves the next version; 409 when `baseVersion` is given and is not the current one. */
  @Put(':id')
  @ApiBody({ schema: ref('PlaybookUpdateRequest') })
  @ApiOkResponse({ schema: ref('PlaybookView') })
  update(
    @Param('id', new ZodPipe(PlaybookId)) id: string,
    @Body(new ZodPipe(PlaybookUpdateRequest)) body: PlaybookUpdateBody,
    @Req() req: AuthedRequest,
  ): Promise<PlaybookView> {
    return this.playbooks.update(id, body, req.user?.username ?? 'unknown');
  }
}
