import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AlertsModule } from '../alerts/alerts.module';
import { CommandsModule } from '../commands/commands.module';
import { KeysModule } from '../keys/keys.module';
import { EnrollmentModule } from '../enrollment/enrollment.module';
import { EventsModule } from '../events/events.module';
import { FleetModelModule } from '../fleet-model/fleet-model.module';
import { IntakeModule } from '../intake/intake.module';
import { PoliciesModule } from '../policies/policies.module';
import { PseudonymOracleModule } from '../pseudonym-oracle/pseudonym-oracle.module';
import { GrpcServerHost } from './grpc-server.host';

/** The agents' gRPC port: translates Enroll, Renew and Session calls to the features' services. */
@Module({
  imports: [
    AgentsModule,
    AlertsModule,
    CommandsModule,
    EnrollmentModule,
    EventsModule,
    FleetModelModule,
    IntakeModule,
    KeysModule,
    PoliciesModule,
    PseudonymOracleModule,
  ],
  providers: [GrpcServerHost],
  exports: [GrpcServerHost],
})
export class GrpcModule {}
