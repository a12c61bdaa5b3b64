// Counts of what the manager refused from agents, by reason: the figures an
// operator (and a metrics endpoint) reads to see a hostile or broken workstation.
import { Injectable, Optional } from '@nestjs/common';
import { ManagerMetrics } from '../metrics/manager-metrics';

export type RefusalReason =
  | 'batch_events'
  | 'batch_bytes'
  | 'batch_scores'
  | 'batch_dropped_reasons'
  | 'malformed'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'second_session'
  | 'event_time'
  | 'clear_value'
  | 'identity_mismatch'
  /** A heartbeat's health report outside its bounds: not stored (agents/agent-health.schema.ts). */
  | 'heartbeat_invalid'
  /** A policy compliance report outside its bounds: not stored (policies/compliance-report.schema.ts). */
  | 'compliance_invalid';

@Injectable()
export class IntakeCounters {
  private readonly counts = new Map<RefusalReason, number>();

  constructor(@Optional() private readonly metrics?: ManagerMetrics) {}

  count(reason: RefusalReason, by = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + by);
    this.metrics?.refused(reason, by);
  }

  get(reason: RefusalReason): number {
    return this.counts.get(reason) ?? 0;
  }

  snapshot(): Partial<Record<RefusalReason, number>> {
    return Object.fromEntries(this.counts);
  }
}
