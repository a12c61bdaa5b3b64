import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { AuditModule } from '../audit/audit.module';
import { PseudonymModeModule } from '../pseudonym-mode/pseudonym-mode.module';
import { EnrollmentTokenRepository } from './enrollment-token.repository';
import { EnrollmentTokenService } from './enrollment-token.service';
import { EnrollmentTokensController } from './enrollment-tokens.controller';
import { EnrollmentService } from './enrollment.service';
import { RenewalService } from './renewal.service';

/** Single-use expiring tokens (stored hashed), the enrollment decision and certificate renewal. */
@Module({
  imports: [AuditModule, AgentsModule, PseudonymModeModule],
  controllers: [EnrollmentTokensController],
  providers: [EnrollmentTokenRepository, EnrollmentTokenService, EnrollmentService, RenewalService],
  exports: [EnrollmentTokenService, EnrollmentService, RenewalService],
})
export class EnrollmentModule {}
