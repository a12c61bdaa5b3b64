// Prometheus counts of forwarding, in the app instance's registry (ManagerMetrics):
// every attempt's outcome, so a SIEM that stopped taking records shows as `retried`
// and then `dead` before anyone opens the destination's dead letters.
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { ManagerMetrics } from '../metrics/manager-metrics';

export type ForwardOutcome = 'delivered' | 'retried' | 'dead';

@Injectable()
export class ForwardingMetrics {
  private readonly records: Counter<'outcome'>;

  constructor(metrics: ManagerMetrics) {
    this.records = new Counter({
      name: 'wardwatch_forward_records_total',
      help: 'Records forwarded to SIEM destinations, by the outcome of each attempt (delivered, retried later, dead: given up).',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    for (const outcome of ['delivered', 'retried', 'dead'] as const) this.records.inc({ outcome }, 0);
  }

  count(tally: Record<ForwardOutcome, number>): void {
    for (const [outcome, n] of Object.entries(tally)) if (n > 0) this.records.inc({ outcome }, n);
  }
}
