import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PolicyRolloutPromoteRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  PolicyRolloutAnswer,
  PolicyRolloutPromoteRequest as PromoteBody,
  PolicyRolloutView,
  UnitTierList,
} from '@wardwatch/shared';
import { ref } from '../../http/openapi';
import type { AuthedRequest } from '../../http/request-context';
import { RequirePermission } from '../../http/route-access';
import { ZodPipe } from '../../http/zod.pipe';
import { ThreatTierService } from '../threat-tiers/threat-tier.service';
import { PolicyRolloutService } from './policy-rollout.service';

/**
 * The staged rollout of the newest policy version (404 on resume/abort/promote without one,
 * 409 when it is not in a state that allows it) and the units' threat-driven tiers.
 */
@ApiTags('policies')
@ApiCookieAuth()
@Controller('api/v1/policy-rollout')
export class PolicyRolloutController {
  constructor(
    private readonly rollouts: PolicyRolloutService,
    private readonly tiers: ThreatTierService,
  ) {}

  @Get()
  @RequirePermission('policies:read')
  @ApiOkResponse({ schema: ref('PolicyRolloutAnswer') })
  async get(): Promise<PolicyRolloutAnswer> {
    return { rollout: await this.rollouts.view() };
  }

  /** A halted rollout goes on with its canaries; reports from before now no longer halt it. */
  @Post('resume')
  @HttpCode(200)
  @RequirePermission('policies:manage')
  @ApiOkResponse({ schema: ref('PolicyRolloutView') })
  resume(@Req() req: AuthedRequest): Promise<PolicyRolloutView> {
    return this.rollouts.resume(req.user?.username ?? 'unknown');
  }

  /** The canaries go back to the version the fleet holds. */
  @Post('abort')
  @HttpCode(200)
  @RequirePermission('policies:manage')
  @ApiOkResponse({ schema: ref('PolicyRolloutView') })
  abort(@Req() req: AuthedRequest): Promise<PolicyRolloutView> {
    return this.rollouts.abort(req.user?.username ?? 'unknown');
  }

  /** The whole fleet gets the version now (from canary or halted), with the admin's reason; audited. */
  @Post('promote')
  @HttpCode(200)
  @RequirePermission('policies:manage')
  @ApiBody({ schema: ref('PolicyRolloutPromoteRequest') })
  @ApiOkResponse({ schema: ref('PolicyRolloutView') })
  promote(
    @Body(new ZodPipe(PolicyRolloutPromoteRequest)) body: PromoteBody,
    @Req() req: AuthedRequest,
  ): Promise<PolicyRolloutView> {
    return this.rollouts.promote(req.user?.username ?? 'unknown', body.reason);
  }

  /** Each unit's threat-driven tier and why. */
  @Get('units')
  @RequirePermission('policies:read')
  @ApiOkResponse({ schema: ref('UnitTierList') })
  async units(): Promise<UnitTierList> {
    return { items: await this.tiers.unitViews() };
  }
}
