import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AgentPage, AgentView } from '@wardwatch/shared';
import { AdminOnly } from '../http/route-access';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { toAgentView } from './agent-view.mapper';
import { AgentService } from './agent.service';

@ApiTags('agents')
@ApiCookieAuth()
@Controller('api/v1/agents')
export class AgentsController {
  constructor(private readonly agents: AgentService) {}

  @Get()
  @ApiOkResponse({ schema: ref('AgentPage') })
  async list(): Promise<AgentPage> {
    return { items: (await this.agents.list()).map(toAgentView) };
  }

  @Get(':id')
  @ApiOkResponse({ schema: ref('AgentView') })
  async get(@Param('id') id: string): Promise<AgentView> {
    return toAgentView(await this.agents.get(id));
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
