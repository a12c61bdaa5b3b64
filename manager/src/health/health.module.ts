import { Module } from '@nestjs/common';
import { GrpcModule } from '../grpc/grpc.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthService } from './health.service';

/** `GET /api/v1/health` (dashboard), `GET /health/live` and `GET /health/ready` (monitoring). */
@Module({ imports: [GrpcModule], controllers: [HealthController], providers: [HealthRepository, HealthService] })
export class HealthModule {}
