import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateDestinationRequest, DeadLetterQuery, UpdateDestinationRequest } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  CreateDestinationRequest as CreateBody,
  DeadLetterQuery as DeadLetterQueryShape,
  DeadLetterView,
  DestinationView,
  TestDeliveryResult,
  UpdateDestinationRequest as UpdateBody,
} from '@wardwatch/shared';
import { ref } from '../http/openapi';
import type { AuthedRequest } from '../http/request-context';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import { ForwardingService } from './forwarding.service';

/** SIEM destinations, admins only; a webhook's secret is accepted and never answered back. */
@ApiTags('forwarding')
@ApiCookieAuth()
@RequirePermission('integrations:manage')
@Controller('api/v1/forwarding/destinations')
export class ForwardingController {
  constructor(private readonly forwarding: ForwardingService) {}

  @Get()
  @ApiOkResponse({ schema: ref('DestinationList') })
  list(): Promise<DestinationView[]> {
    return this.forwarding.list();
  }

  @Post()
  @ApiBody({ schema: ref('CreateDestinationRequest') })
  @ApiOkResponse({ schema: ref('DestinationView') })
  create(
    @Body(new ZodPipe(CreateDestinationRequest)) body: CreateBody,
    @Req() req: AuthedRequest,
  ): Promise<DestinationView> {
    return this.forwarding.create(body, req.user?.username ?? 'unknown');
  }

  @Patch(':id')
  @ApiBody({ schema: ref('UpdateDestinationRequest') })
  @ApiOkResponse({ schema: ref('DestinationView') })
  update(
    @Param('id') id: string,
    @Body(new ZodPipe(UpdateDestinationRequest)) body: UpdateBody,
    @Req() req: AuthedRequest,
  ): Promise<DestinationView> {
    return this.forwarding.update(id, body, req.user?.username ?? 'unknown');
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string, @Req() req: AuthedRequest): Promise<void> {
    return this.forwarding.remove(id, req.user?.username ?? 'unknown');
  }

  /** One test record sent now; the answer says whether the receiver took it. */
  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('TestDeliveryResult') })
  test(@Param('id') id: string, @Req() req: AuthedRequest): Promise<TestDeliveryResult> {
    return this.forwarding.sendTest(id, req.user?.username ?? 'unknown');
  }

  @Get(':id/dead-letters')
  @ApiOkResponse({ schema: ref('DeadLetterList') })
  deadLetters(
    @Param('id') id: string,
    @Query(new ZodPipe(DeadLetterQuery)) query: DeadLetterQueryShape,
  ): Promise<DeadLetterView[]> {
    return this.forwarding.deadLetters(id, query.limit);
  }
}
