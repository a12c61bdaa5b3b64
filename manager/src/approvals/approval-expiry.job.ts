// Marks pending proposals past their expiry `expired` every configured interval until
// the manager shuts down; see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { ApprovalService } from './approval.service';

@Injectable()
export class ApprovalExpiryJob extends IntervalJob {
  constructor(
    private readonly approvals: ApprovalService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'approvals'>,
    logger: JsonLogger,
  ) {
    super(logger.child('approvals'), 'approval expiry check failed');
  }

  protected intervalMs(): number {
    return this.config.approvals.expiryCheckIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    const expired = await this.approvals.expireDue();
    if (expired > 0) this.log.info('approvals expired', { expired });
  }
}
