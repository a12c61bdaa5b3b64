// Evaluates agents' blinded pseudonym values under the manager's OPRF key. The
// workstation is hostile: a call carries at most `maxBatch` elements, each must be a
// canonical non-identity ristretto255 element (else the whole call is refused, nothing
// evaluated), and each agent has a token bucket of values per minute, so a stolen
// workstation cannot turn the manager into a fast dictionary (6,000 values a minute by
// default: a list of 100,000 patient names takes ~17 minutes, and every refusal is counted
// and logged; each agent's evaluations are audited per window, which is what shows a probe).
// A call marked priority (the values a score or a command waits for) first takes from a
// second, small bucket (`priorityPerMinute`, 600 by default, burst 64) and only then from the main one:
// an agent whose ransomware burst spent its rate on file names still gets its score's
// tokens at once. A hostile agent marking every call gains that reserve and no more.
// The manager learns nothing of the values: only how many new ones each agent asked for,
// which it counts per agent and writes to the audit trail once a window (evaluation-audit.job.ts).
// Evaluation is one scalar multiplication per value (libsodium in WebAssembly, ~0.2 ms of
// CPU; noble's pure JS, ~2 ms, if it cannot load: scripts/bench/oprf.bench.ts); it runs in a
// worker thread (blind-evaluator.ts), so a batch never holds the manager's event loop.
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { EventRateLimiter } from '../intake/event-rate.limiter';
import { SitePseudonymMode } from '../pseudonym-mode/site-pseudonym-mode';
import { BLIND_EVALUATOR, type BlindEvaluator } from './blind-evaluator';
import { EvaluationTally } from './evaluation-tally';
import { OprfKey } from './oprf-key';
import { PseudonymOracleError, type PseudonymOracleErrorCode } from './pseudonym-oracle.errors';

export interface OracleCounts {
  evaluated: number;
  refusedBatches: number;
}

@Injectable()
export class PseudonymOracleService implements OnApplicationShutdown {
  private readonly rate: EventRateLimiter;
  /** Undefined when the site keeps no reserve (priorityPerMinute 0). */
  private readonly priorityRate: EventRateLimiter | undefined;
  private readonly counts: OracleCounts = { evaluated: 0, refusedBatches: 0 };

  constructor(
    @Inject(MANAGER_CONFIG) private readonly config: ManagerConfig,
    private readonly key: OprfKey,
    private readonly clock: Clock,
    @Inject(BLIND_EVALUATOR) private readonly evaluator: BlindEvaluator,
    private readonly site: SitePseudonymMode,
    /** Per agent since the last audit row (evaluation-audit.job.ts). */
    private readonly tally: EvaluationTally,
  ) {
    const { valuesPerMinute, burst, priorityPerMinute, priorityBurst } = config.pseudonyms;
    this.rate = new EventRateLimiter({ eventsPerSecond: valuesPerMinute / 60, eventBurst: burst });
    this.priorityRate =
      priorityPerMinute > 0
        ? new EventRateLimiter({ eventsPerSecond: priorityPerMinute / 60, eventBurst: priorityBurst })
        : undefined;
  }

  get keyId(): string {
    return this.key.keyId;
  }

  get totals(): Readonly<OracleCounts> {
    return { ...this.counts };
  }

  /** The evaluated elements, in order; refuses the whole batch or evaluates all of it. */
  async evaluate(agentId: string, blinded: readonly Uint8Array[], priority = false): Promise<Uint8Array[]> {
    const { maxBatch } = this.config.pseudonyms;
    if (this.site.mode !== 'oprf')
      throw this.refuse(agentId, 'not_in_oprf_mode', 'this manager hands out the site key (local-key mode)');
    if (blinded.length > maxBatch)
      throw this.refuse(agentId, 'batch_too_large', `at most ${maxBatch} values per call, got ${blinded.length}`);
    // Taken before any curve arithmetic, so a flood costs the manager no more than its rate.
    const now = this.clock.now();
    const reserved = priority && this.priorityRate?.take(agentId, blinded.length, now) === true;
    if (!reserved && !this.rate.take(agentId, blinded.length, now))
      throw this.refuse(agentId, 'rate_limited', 'too many new pseudonym values from this agent; retry later', 60_000);
    const answers = await this.evaluator.evaluate(blinded);
    const evaluated: Uint8Array[] = [];
    for (const [index, out] of answers.entries()) {
      if (!out) throw this.refuse(agentId, 'bad_element', `value ${index} is not a valid ristretto255 element`);
      evaluated.push(out);
    }
    this.counts.evaluated += evaluated.length;
    this.tally.evaluated(agentId, evaluated.length, this.clock.now());
    return evaluated;
  }

  /** After the gRPC server has stopped (its beforeApplicationShutdown): no call is then in flight. */
  onApplicationShutdown(): Promise<void> {
    return this.evaluator.close();
  }

  private refuse(
    agentId: string,
    code: PseudonymOracleErrorCode,
    message: string,
    retryAfterMs?: number,
  ): PseudonymOracleError {
    this.counts.refusedBatches += 1;
    this.tally.refused(agentId, code, this.clock.now());
    return new PseudonymOracleError(code, message, retryAfterMs);
  }
}
