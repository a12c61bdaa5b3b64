// Re-evaluates every workstation's threat tier (cool-downs; scores above a tier's
// threshold but below the alert one) and lets a staged rollout progress (its soak time
// ends with no report to trigger it) every configured interval; 0 turns it off. See
// common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../../config/config.schema';
import { JsonLogger } from '../../logging/json-logger';
import { PolicyRolloutService } from '../rollout/policy-rollout.service';
import { ThreatTierService } from './threat-tier.service';

@Injectable()
export class PolicyTiersJob extends IntervalJob {
  constructor(
    private readonly tiers: ThreatTierService,
    private readonly rollouts: PolicyRolloutService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'threatTiers'>,
    logger: JsonLogger,
  ) {
    super(logger.child('threat-tiers'), 'threat tier check failed');
  }

  protected intervalMs(): number {
    return this.config.threatTiers.checkIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    await this.tiers.evaluate();
    const state = await this.rollouts.progress();
    if (state === 'complete' || state === 'halted') this.log.info('policy rollout progressed', { state });
  }
}
