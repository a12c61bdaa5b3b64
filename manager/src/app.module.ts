// Wires the manager together: infrastructure first (configuration, logger, PKI,
// clock, database), then one module per feature. The configuration and logger are
// given from outside (main.ts parses the environment once); the PKI is loaded before.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AgentsModule } from './agents/agents.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuditVerificationModule } from './audit-verification/audit-verification.module';
import { AuthModule } from './auth/auth.module';
import { OidcModule } from './auth/oidc/oidc.module';
import { BANNER_WRITER, type BannerWriter } from './auth/admin-bootstrap.service';
import type { CommandIssuer } from './commands/command-issuer';
import { CommandsModule } from './commands/commands.module';
import { KeysModule } from './keys/keys.module';
import { Clock, RandomSource } from './common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from './config/config.schema';
import { DatabaseModule } from './database/database.module';
import { EnrollmentModule } from './enrollment/enrollment.module';
import { AgentInstallModule } from './agent-install/agent-install.module';
import { managerEntities } from './entities';
import { EventsModule } from './events/events.module';
import { FleetModelModule } from './fleet-model/fleet-model.module';
import { GrpcModule } from './grpc/grpc.module';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { OverviewModule } from './overview/overview.module';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { JsonLogger } from './logging/json-logger';
import { MetricsModule } from './metrics/metrics.module';
import { PkiModule } from './pki/pki.module';
import { PlaybooksModule } from './playbooks/playbooks.module';
import { ReportsModule } from './reports/reports.module';
import { PoliciesModule } from './policies/policies.module';
import type { PkiMaterial } from './pki/pki.service';
import { ReidentificationModule } from './reidentification/reidentification.module';
import { SignInAlertsModule } from './sign-in-alerts/sign-in-alerts.module';
import { ResponseWiringModule } from './response-wiring.module';
import { RetentionModule } from './retention/retention.module';
import { SilentAgentsModule } from './silent-agents/silent-agents.module';
import { BlindAgentsModule } from './blind-agents/blind-agents.module';
import { StaffRolesModule } from './staff-roles/staff-roles.module';
import { ForwardingModule } from './forwarding/forwarding.module';
import { UsersModule } from './users/users.module';

export interface AppOptions {
  config: ManagerConfig;
  logger: JsonLogger;
  pki: PkiMaterial;
  banner: BannerWriter;
  /** The issuer approved proposals go out through; tests give a recording one (see approvals.module.ts). */
  commandIssuer?: CommandIssuer;
}

/** What every feature may inject: configuration, logger, clock and randomness. */
@Global()
@Module({})
class CoreModule {
  static register(options: AppOptions): DynamicModule {
    const providers = [
      { provide: MANAGER_CONFIG, useValue: options.config },
      { provide: JsonLogger, useValue: options.logger },
      { provide: BANNER_WRITER, useValue: options.banner },
      Clock,
      RandomSource,
    ];
    return { module: CoreModule, providers, exports: providers };
  }
}

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(options),
        MetricsModule,
        DatabaseModule.forRoot(options.config.database, managerEntities),
        PkiModule.register(options.pki, options.config.agentCertificates.lifetimeMs),
        AuditModule,
        AuthModule,
        OidcModule,
        UsersModule,
        AgentsModule,
        EnrollmentModule,
        AgentInstallModule,
        AlertsModule,
        IncidentsModule,
        OverviewModule,
        ResponseWiringModule.register(options.commandIssuer),
        StaffRolesModule,
        ForwardingModule,
        PlaybooksModule,
        EventsModule,
        ReidentificationModule,
        SignInAlertsModule,
        FleetModelModule,
        RetentionModule,
        SilentAgentsModule,
        BlindAgentsModule,
        AuditVerificationModule,
        CommandsModule,
        KeysModule,
        PoliciesModule,
        ReportsModule,
        HealthModule,
        GrpcModule,
      ],
      providers: [
        {
          provide: APP_FILTER,
          useFactory: (logger: JsonLogger) => new ApiExceptionFilter(logger.child('http')),
          inject: [JsonLogger],
        },
      ],
    };
  }
}
