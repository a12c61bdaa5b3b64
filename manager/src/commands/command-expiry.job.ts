// Marks queued commands past their expiry as expired, every configured interval until
// the manager shuts down; see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { CommandsService } from './commands.service';

@Injectable()
export class CommandExpiryJob extends IntervalJob {
  constructor(
    private readonly commands: CommandsService,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'commands'>,
    logger: JsonLogger,
  ) {
    super(logger.child('commands'), 'command expiry failed');
  }

  protected intervalMs(): number {
    return this.config.commands.expiryCheckIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    const expired = await this.commands.expireDue();
    if (expired > 0) this.log.info('commands expired before the agent took them', { count: expired });
  }
}
