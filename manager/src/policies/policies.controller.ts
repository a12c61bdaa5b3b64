import { Body, Controller, Get, Param, ParseIntPipe, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PolicyCreateRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  AgentPolicyList,
  PolicyCreateRequest as PolicyCreateBody,
  PolicyList,
  PolicyView,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { AgentPolicyService } from './agent-policy.service';
import { PolicyService } from './policy.service';

/** Protection policies: a bad document is answered 400 with each problem's path and message (zod issues). */
@ApiTags('policies')
@ApiCookieAuth()
@Controller('api/v1/policies')
export class PoliciesController {
  constructor(
    private readonly policies: PolicyService,
    private readonly agentPolicies: AgentPolicyService,
  ) {}

  /** Every version, newest first (the first is in force). */
  @Get()
  @RequirePermission('policies:read')
  @ApiOkResponse({ schema: ref('PolicyList') })
  async list(): Promise<PolicyList> {
    return { items: await this.policies.list() };
  }

  @Get('current')
  @RequirePermission('policies:read')
  @ApiOkResponse({ schema: ref('PolicyView') })
  current(): Promise<PolicyView> {
    return this.policies.current();
  }

  /** Each agent's assigned tier and compliance. */
  @Get('agents')
  @RequirePermission('policies:read')
  @ApiOkResponse({ schema: ref('AgentPolicyList') })
  async agents(): Promise<AgentPolicyList> {
    return { items: await this.agentPolicies.list() };
  }

  @Get(':version')
  @RequirePermission('policies:read')
  @ApiOkResponse({ schema: ref('PolicyView') })
  get(@Param('version', ParseIntPipe) version: number): Promise<PolicyView> {
    return this.policies.get(version);
  }

  /** Saves the next version; 409 when `baseVersion` is given and is not the current one. */
  @Post()
  @RequirePermission('policies:manage')
  @ApiBody({ schema: ref('PolicyCreateRequest') })
  @ApiCreatedResponse({ schema: ref('PolicyView') })
  create(
    @Body(new ZodPipe(PolicyCreateRequest)) body: PolicyCreateBody,
    @Req() req: AuthedRequest,
  ): Promise<PolicyView> {
    return this.policies.create(body, req.user?.username ?? 'unknown');
  }
}
