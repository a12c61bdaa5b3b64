// Verifies (and checkpoints) the audit trail every configured interval until the
// manager shuts down, and once right after start; see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { AuditVerificationService } from './audit-verification.service';

@Injectable()
export class AuditVerifyJob extends IntervalJob {
  constructor(
    private readonly verification: AuditVerificationService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'audit'>,
    logger: JsonLogger,
  ) {
    super(logger.child('audit'), 'audit verification failed to run');
  }

  protected intervalMs(): number {
    return this.config.audit.verifyIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    await this.verification.run();
  }
}
