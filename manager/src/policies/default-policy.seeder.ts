import { Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { JsonLogger } from '../logging/json-logger';
import { PolicyService } from './policy.service';

/** Seeds the default policy on the first start (no version yet); later starts leave it as edited. */
@Injectable()
export class DefaultPolicySeeder implements OnApplicationBootstrap {
  constructor(
    private readonly policies: PolicyService,
    @Optional() private readonly logger?: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.policies.seedDefault()) this.logger?.child('policies').info('default policy seeded', { version: 1 });
  }
}
