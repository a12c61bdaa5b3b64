// Decides whether an agent may store one more batch of events, before any of its
// events is looked at: its rate (a token bucket per agent) and its storage quota
// (events stored per agent). Refusals are counted; the gRPC edge tells the agent
// and ends its stream without acknowledging the batch, so nothing is lost: the
// agent keeps it and resends after its backoff.
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { EventQueryService } from '../events/event-query.service';
import { EventRateLimiter } from './event-rate.limiter';
import { IntakeCounters } from './intake.counters';

export type Admission = { ok: true } | { ok: false; reason: 'rate_limited' | 'quota_exceeded'; message: string };

/** How long a stored-events count is trusted before it is read again (retention deletes events). */
const RECOUNT_AFTER_MS = 10_000;

@Injectable()
export class IntakeService {
  private readonly rate: EventRateLimiter;
  private readonly stored = new Map<string, { count: number; at: number }>();

  constructor(
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'intake'>,
    private readonly clock: Clock,
    private readonly events: EventQueryService,
    readonly counters: IntakeCounters,
  ) {
    this.rate = new EventRateLimiter(config.intake);
  }

  async admitEvents(agentId: string, events: number): Promise<Admission> {
    const { eventQuota, eventsPerSecond } = this.config.intake;
    const now = this.clock.now();
    let known = this.stored.get(agentId);
    if (!known || (known.count + events > eventQuota && now - known.at >= RECOUNT_AFTER_MS)) {
      known = { count: await this.events.countForAgent(agentId), at: now };
      this.stored.set(agentId, known);
    }
    if (known.count + events > eventQuota) {
      this.counters.count('quota_exceeded');
      return {
        ok: false,
        reason: 'quota_exceeded',
        message: `storage quota reached: ${known.count} events stored for this agent, at most ${eventQuota}; resend later`,
      };
    }
    if (!this.rate.take(agentId, events, now)) {
      this.counters.count('rate_limited');
      return {
        ok: false,
        reason: 'rate_limited',
        message: `rate limit: at most ${eventsPerSecond} events per second; resend later`,
      };
    }
    return { ok: true };
  }

  /** A new session of an agent just refused for its rate waits until a second's worth has refilled. */
  admitSession(agentId: string): Admission {
    if (this.rate.mayConnect(agentId, this.clock.now())) return { ok: true };
    this.counters.count('rate_limited');
    return { ok: false, reason: 'rate_limited', message: 'rate limit: reconnect later and resend' };
  }

  /** After a batch is stored: its new events count toward the quota. */
  recordStored(agentId: string, stored: number): void {
    const known = this.stored.get(agentId);
    if (known) known.count += stored;
  }
}
