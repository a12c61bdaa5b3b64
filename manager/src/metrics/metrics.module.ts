import { Global, Module } from '@nestjs/common';
import { ManagerMetrics } from './manager-metrics';
import { MetricsController } from './metrics.controller';

/** The app instance's metrics (global: any feature may count what it does) and `GET /metrics`. */
@Global()
@Module({ controllers: [MetricsController], providers: [ManagerMetrics], exports: [ManagerMetrics] })
export class MetricsModule {}
