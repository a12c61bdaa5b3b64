import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UpdateAgentRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type { AgentPage, AgentView, UpdateAgentRequest as UpdateAgentBody } from '@wardwatch/shared';
import { AdminOnly, RequirePermission } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { toAgentView } from './agent-view.mapper';
import { AgentService } from './agent.service';

@ApiTags('agents')
@ApiCookieAuth()
@Controller('api/v1/agents')
export class AgentsController {
  constructor(private readonly agents: AgentService) {}

  @Get()
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('AgentPage') })
  async list(): Promise<AgentPage> {
    return { items: (await this.agents.list()).map(toAgentView) };
  }

  @Get(':id')
  @RequirePermission('events:read')
  @ApiOkResponse({ schema: ref('AgentView') })
  async get(@Param('id') id: string): Promise<AgentView> {
    return toAgentView(await this.agents.get(id));
  }

  /** Sets the workstation's tags and unit (playbooks match on them); audited. */
  @AdminOnly()
  @Patch(':id')
  @ApiBody({ schema: ref('UpdateAgentRequest') })
  @ApiOkResponse({ schema: ref('AgentView') })
  async update(
    @Param('id') id: string,
    @Body(new ZodPipe(UpdateAgentRequest)) body: UpdateAgentBody,
    @Req() req: AuthedRequest,
  ): Promise<AgentView> {
    return toAgentView(await this.agents.updateLabels(id, body, req.user?.username ?? 'unknown'));
  }

  /** Refuses the agent from now on and ends its live stream. */
  @AdminOnly()
  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('AgentView') })
  async revoke(@Param('id') id: string, @Req() req: AuthedRequest): Promise<AgentView> {
    return toAgentView(await this.agents.revoke(id, req.user?.username ?? 'unknown'));
  }
}
