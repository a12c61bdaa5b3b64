// Fills the forwarding outbox from the audit log and drains it, every configured interval
// until the manager shuts down; see common/interval-job.ts and forwarding.service.ts.
import { Inject, Injectable, Optional } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { ForwardingMetrics } from './forwarding-metrics';
import { ForwardingService } from './forwarding.service';

@Injectable()
export class ForwardingJob extends IntervalJob {
  constructor(
    private readonly forwarding: ForwardingService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'forwarding'>,
    logger: JsonLogger,
    @Optional() private readonly metrics?: ForwardingMetrics,
  ) {
    super(logger.child('forwarding'), 'forwarding run failed');
  }

  protected intervalMs(): number {
    return this.config.forwarding.intervalMs;
  }

  protected async runOnce(): Promise<void> {
    // Fill until the log is read up (a batch at a time), then send what is due.
    while ((await this.forwarding.fill()) > 0);
    const tally = await this.forwarding.drain();
    this.metrics?.count(tally);
    const { delivered, retried, dead } = tally;
    if (retried + dead > 0) this.log.warn('forwarding incomplete', { delivered, retried, dead });
    else if (delivered > 0) this.log.debug('forwarded', { delivered });
  }
}
