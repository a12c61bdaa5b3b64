// Writes the tracker's incidents and closes quiet ones every configured interval
// (off when 0); see common/interval-job.ts.
import { Inject, Injectable } from '@nestjs/common';
import { IntervalJob } from '../common/interval-job';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { IncidentService } from './incident.service';
import { IncidentTracker } from './incident-tracker';

@Injectable()
export class IncidentFlushJob extends IntervalJob {
  private evictedLogged = 0;
  private failuresLogged = 0;

  constructor(
    private readonly incidents: IncidentService,
    private readonly tracker: IncidentTracker,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'incidents'>,
    logger: JsonLogger,
  ) {
    super(logger.child('incidents'), 'incident flush failed');
  }

  protected intervalMs(): number {
    return this.config.incidents.flushIntervalMs;
  }

  protected async runOnce(): Promise<void> {
    const run = await this.incidents.flush();
    if (run.opened > 0) this.log.warn('incidents opened', { ...run });
    else if (run.closed > 0) this.log.info('incidents closed', { ...run });
    // Evictions mean more sources than the tracker holds: say so once per flush that saw some.
    const evicted = this.tracker.evicted;
    if (evicted > this.evictedLogged) {
      this.log.warn('incident tracker full: least recent subjects forgotten', {
        evicted: evicted - this.evictedLogged,
      });
      this.evictedLogged = evicted;
    }
    const failed = this.incidents.failedObservations;
    if (failed > this.failuresLogged) {
      this.log.error('incident tracker failed on committed batches', { batches: failed - this.failuresLogged });
      this.failuresLogged = failed;
    }
  }
}
