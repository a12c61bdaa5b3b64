// Marks pending duty requests past their expiry `expired` (each audited), on the
// approvals' check interval; see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { DutyRequestService } from './duty-request.service';

@Injectable()
export class DutyRequestExpiryJob extends IntervalJob {
  constructor(
    private readonly requests: DutyRequestService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'approvals'>,
    logger: JsonLogger,
  ) {
    super(logger.child('duty-requests'), 'duty request expiry check failed');
  }

  protected intervalMs(): number {
    return this.config.approvals.expiryCheckIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    const expired = await this.requests.expireDue();
    if (expired > 0) this.log.info('duty requests expired', { expired });
  }
}
