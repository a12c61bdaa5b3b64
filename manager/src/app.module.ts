// Wires the manager together. The configuration and logger are given from outside
// (main.ts parses the environment once); the database and PKI are opened by
// factories before anything that needs them is built.
import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AgentSessionsRegistry } from './agents/agent-sessions.registry';
import { AgentService } from './agents/agent.service';
import { AgentsController } from './agents/agents.controller';
import { AlertService } from './alerts/alert.service';
import { AlertsController } from './alerts/alerts.controller';
import { ScoreIngestService } from './alerts/score-ingest.service';
import { ScoreQueryService } from './alerts/score-query.service';
import { ScoresController } from './alerts/scores.controller';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { AdminBootstrapService, BANNER_WRITER, type BannerWriter } from './auth/admin-bootstrap.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { LoginRateLimiter } from './auth/login-rate.limiter';
import { PasswordHasher } from './auth/password.hasher';
import { SessionGuard } from './auth/session.guard';
import { Clock, RandomSource } from './common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from './config/config.schema';
import { openDatabase } from './database/data-source.factory';
import { EnrollmentTokenService } from './enrollment/enrollment-token.service';
import { EnrollmentTokensController } from './enrollment/enrollment-tokens.controller';
import { EnrollmentService } from './enrollment/enrollment.service';
import { EventBus } from './events/event-bus';
import { EventIngestService } from './events/event-ingest.service';
import { EventRepository } from './events/event.repository';
import { EventsController } from './events/events.controller';
import { FleetModelStore } from './fleet-model/fleet-model.store';
import { GrpcServerHost } from './grpc/grpc-server.host';
import { HealthController } from './health/health.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { JsonLogger } from './logging/json-logger';
import { PkiService, type PkiMaterial } from './pki/pki.service';
import { ReidentificationController } from './reidentification/reidentification.controller';
import { ReidentificationRateLimiter } from './reidentification/reidentification.rate-limiter';
import { ReidentificationService } from './reidentification/reidentification.service';
import { SitePseudonyms } from './reidentification/site-pseudonyms';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

export interface AppOptions {
  config: ManagerConfig;
  logger: JsonLogger;
  pki: PkiMaterial;
  banner: BannerWriter;
}

/** Closes the database last, after the servers have stopped. */
class DatabaseCloser implements OnApplicationShutdown {
  constructor(private readonly db: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        AuthController,
        AgentsController,
        EventsController,
        AlertsController,
        ScoresController,
        EnrollmentTokensController,
        AuditController,
        HealthController,
        UsersController,
        ReidentificationController,
      ],
      providers: [
        { provide: MANAGER_CONFIG, useValue: options.config },
        { provide: JsonLogger, useValue: options.logger },
        { provide: BANNER_WRITER, useValue: options.banner },
        { provide: DataSource, useFactory: () => openDatabase(options.config.database) },
        { provide: PkiService, useValue: new PkiService(options.pki) },
        { provide: DatabaseCloser, useFactory: (db: DataSource) => new DatabaseCloser(db), inject: [DataSource] },
        { provide: APP_GUARD, useClass: SessionGuard },
        {
          provide: APP_FILTER,
          useFactory: (logger: JsonLogger) => new ApiExceptionFilter(logger.child('http')),
          inject: [JsonLogger],
        },
        Clock,
        RandomSource,
        AuditService,
        PasswordHasher,
        LoginRateLimiter,
        AuthService,
        AdminBootstrapService,
        AgentSessionsRegistry,
        AgentService,
        EnrollmentTokenService,
        EnrollmentService,
        EventBus,
        EventRepository,
        AlertService,
        EventIngestService,
        ScoreIngestService,
        ScoreQueryService,
        FleetModelStore,
        GrpcServerHost,
        UsersService,
        SitePseudonyms,
        ReidentificationRateLimiter,
        ReidentificationService,
      ],
    };
  }
}
