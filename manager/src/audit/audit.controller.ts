import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { RequirePermission } from '../http/route-access';
import { ZodPipe } from '../http/zod.pipe';
import type { AuditRow, ChainVerdict } from './audit-chain';
import { AuditQuery } from './audit.schemas';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiCookieAuth()
@RequirePermission('audit:read')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Newest first; page with `beforeSeq`. */
  @Get()
  @ApiOkResponse({ description: 'Audit rows, newest first.' })
  async list(@Query(new ZodPipe(AuditQuery)) query: z.infer<typeof AuditQuery>): Promise<{ items: AuditRow[] }> {
    return { items: await this.audit.list(query.limit, query.beforeSeq) };
  }

  /** Recomputes the hash chain; `ok: false` names the first row that was edited or removed. */
  @Get('verify')
  @ApiOkResponse({ description: 'The verdict on the whole chain.' })
  verify(): Promise<ChainVerdict> {
    return this.audit.verify();
  }
}
