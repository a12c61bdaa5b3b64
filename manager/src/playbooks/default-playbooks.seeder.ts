import { Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { JsonLogger } from '../logging/json-logger';
import { PlaybookService } from './playbook.service';

/** Seeds the default playbooks on the first start (an empty playbook table); later starts leave them as edited. */
@Injectable()
export class DefaultPlaybooksSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly playbooks: PlaybookService,
    @Optional() private readonly logger?: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const seeded = await this.playbooks.seedDefaults();
    if (seeded > 0) this.logger?.child('playbooks').info('default playbooks seeded', { count: seeded });
  }
}
