import { Body, Controller, Get, Param, Put, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AgentCanaryRequest, AgentPolicyPinRequest } from '@wardwatch/shared';
import type {
  AgentCanaryRequest as CanaryBody,
  AgentPolicyPinRequest as PinBody,
  AgentPolicyView,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { AgentPolicyService } from './agent-policy.service';

/** One agent's policy: its assigned tier, the pin, and its last compliance report. */
@ApiTags('policies')
@ApiCookieAuth()
@Controller('api/v1/agents/:id/policy')
export class AgentPolicyController {
  constructor(private readonly agentPolicies: AgentPolicyService) {}

  @Get()
  @RequirePermission('policies:read')
  @ApiOkResponse({ schema: ref('AgentPolicyView') })
  get(@Param('id') id: string): Promise<AgentPolicyView> {
    return this.agentPolicies.view(id.slice(0, 64));
  }

  /** Pins a tier (`{ "tier": "lockdown" }`) or unpins (`{ "tier": null }`); delivered at once when connected. */
  @Put()
  @RequirePermission('policies:manage')
  @ApiBody({ schema: ref('AgentPolicyPinRequest') })
  @ApiOkResponse({ schema: ref('AgentPolicyView') })
  pin(
    @Param('id') id: string,
    @Body(new ZodPipe(AgentPolicyPinRequest)) body: PinBody,
    @Req() req: AuthedRequest,
  ): Promise<AgentPolicyView> {
    return this.agentPolicies.pin(id.slice(0, 64), body.tier, req.user?.username ?? 'unknown');
  }

  /** Marks (`{ "canary": true }`) or unmarks the workstation as a canary of later policy rollouts. */
  @Put('canary')
  @RequirePermission('policies:manage')
  @ApiBody({ schema: ref('AgentCanaryRequest') })
  @ApiOkResponse({ schema: ref('AgentPolicyView') })
  canary(
    @Param('id') id: string,
    @Body(new ZodPipe(AgentCanaryRequest)) body: CanaryBody,
    @Req() req: AuthedRequest,
  ): Promise<AgentPolicyView> {
    return this.agentPolicies.setCanary(id.slice(0, 64), body.canary, req.user?.username ?? 'unknown');
  }
}
