// Runs retention every configured interval (the first run one interval after the
// manager holds both its ports) until it shuts down; see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { RetentionService } from './retention.service';

@Injectable()
export class RetentionJob extends IntervalJob {
  constructor(
    private readonly retention: RetentionService,
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
    logger: JsonLogger,
  ) {
    super(logger.child('retention'), 'retention run failed');
  }

  protected intervalMs(): number {
    return this.config.retention.intervalMs;
  }

  protected async runOnce(): Promise<void> {
    const run = await this.retention.runOnce();
    if (run.deleted.events + run.deleted.scores + run.deleted.alerts > 0 || !run.complete)
      this.log.info('retention run', { ...run.deleted, complete: run.complete });
  }
}
