import { Global, Module } from '@nestjs/common';
import { ManagerMetrics } from './manager-metrics';
import { MetricsController } from './metrics.controller';
import { ResponseMetrics } from './response-metrics';

/** The app instance's metrics (global: any feature may count what it does) and `GET /metrics`. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [ManagerMetrics, ResponseMetrics],
  exports: [ManagerMetrics, ResponseMetrics],
})
export class MetricsModule {}
