import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AUDIT_EXPORT_MAX_ROWS, AuditExportQuery, AuditListQuery } from '@wardwatch/shared';
// Parameter types only by type imports: decorator metadata must not name the zod schema value.
import type {
  AuditExportQuery as ExportQuery,
  AuditListQuery as ListQuery,
  AuditPage,
  AuditStatus,
} from '@wardwatch/shared';
import type { ServerResponse } from 'node:http';
import { RequirePermission } from '../http/route-access';
import type { AuthedRequest } from '../http/request-context';
import { ZodPipe } from '../http/zod.pipe';
import { toCsv, toNdjson } from '../audit/audit-export';
import { AuditVerificationService } from './audit-verification.service';
import { AuditService } from '../audit/audit.service';

const EXPORT_PAGE = 500;

@ApiTags('audit')
@ApiCookieAuth()
@RequirePermission('audit:read')
@Controller('api/v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly verification: AuditVerificationService,
  ) {}

  /** Newest first, filtered by actor, action and time; page with `beforeSeq` = the answer's `nextBeforeSeq`. */
  @Get()
  @ApiOkResponse({ description: 'Audit rows, newest first.' })
  async list(@Query(new ZodPipe(AuditListQuery)) query: ListQuery): Promise<AuditPage> {
    const { limit, beforeSeq, ...filter } = query;
    const items = await this.audit.list(limit, beforeSeq, filter);
    return items.length === limit ? { items, nextBeforeSeq: items[items.length - 1].seq } : { items };
  }

  /** What the last verification found (scheduled, or asked for), and the last signed checkpoint. */
  @Get('status')
  @ApiOkResponse({ description: 'The audit trail’s verification status.' })
  status(): AuditStatus {
    return this.verification.current();
  }

  /** Verifies the chain and its checkpoints now; `ok: false` names the first row edited or removed. */
  @Get('verify')
  @ApiOkResponse({ description: 'The verdict on the whole trail.' })
  async verify(): Promise<AuditStatus & { ok: boolean }> {
    const status = await this.verification.run();
    return { ...status, ok: status.result === 'ok' };
  }

  /** Signs a checkpoint now (after verifying); audited. */
  @Post('checkpoints')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The status after the checkpoint.' })
  async checkpoint(@Req() req: AuthedRequest): Promise<AuditStatus> {
    await this.audit.append({ actor: req.user?.username ?? 'unknown', action: 'audit.checkpoint', target: 'audit' });
    return this.verification.run('always');
  }

  /** The filtered view as CSV or NDJSON (newest first, at most AUDIT_EXPORT_MAX_ROWS rows); audited. */
  @Get('export')
  @ApiOkResponse({ description: 'A CSV or NDJSON file.' })
  async export(
    @Query(new ZodPipe(AuditExportQuery)) query: ExportQuery,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: ServerResponse,
  ): Promise<string> {
    const { format, ...filter } = query;
    const rows = [];
    for (let before: number | undefined; rows.length < AUDIT_EXPORT_MAX_ROWS;) {
      const page = await this.audit.list(Math.min(EXPORT_PAGE, AUDIT_EXPORT_MAX_ROWS - rows.length), before, filter);
      rows.push(...page);
      if (page.length < EXPORT_PAGE) break;
      before = page[page.length - 1].seq;
    }
    // Who took a copy of the trail, and of which part, is itself part of the trail.
    await this.audit.append({
      actor: req.user?.username ?? 'unknown',
      action: 'audit.export',
      target: 'audit',
      details: { format, filter, rows: rows.length },
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="wardwatch-audit-${stamp}.${format}"`);
    return format === 'csv' ? toCsv(rows) : toNdjson(rows);
  }
}
