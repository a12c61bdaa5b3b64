import { Controller, ForbiddenException, Get, Inject, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { Public } from '../http/route-access';
import { ManagerMetrics } from './manager-metrics';
import { metricsAccess } from './metrics-access';

/** `GET /metrics`: Prometheus text format, for a scraper on this host or one holding the metrics token. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ManagerMetrics,
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
  ) {}

  // Public to the session guard: scrapers hold no session; the check below is theirs.
  @Public()
  @Get()
  async scrape(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    const access = metricsAccess(req.socket.remoteAddress, req.headers.authorization, this.config.metrics.token);
    if (access === 'token_required') throw new UnauthorizedException('send the metrics token as a bearer token');
    if (access === 'loopback_only')
      throw new ForbiddenException(
        'metrics are served to this host only; set WARDWATCH_METRICS_TOKEN to scrape from elsewhere',
      );
    const { contentType, body } = await this.metrics.render();
    res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    res.end(body);
  }
}
