// Verifies the audit trail as a whole: the keyed chain (audit-chain.ts), then every
// signed checkpoint kept off the database (audit-checkpoint.ts). When it holds, a new
// checkpoint is signed (if rows were added since the last, or when asked), appended to
// the checkpoint file and sent to syslog. When it fails it raises an alert.
//
// Invariants:
// - no checkpoint is ever written for a chain that fails: a checkpoint must not bless
//   a tampering, so a failure stays visible until an operator deals with it;
// - one alert per failure state; the state is the first bad row (for a checkpoint,
//   the row it signed), which rows appended afterwards do not move, and the alert is
//   looked up by it before one is raised, so later runs and restarts raise no second;
// - the status (last verification, result, first bad row, last checkpoint) is what
//   the last run found; before the first run after a start it says `not_verified`.
import { Inject, Injectable } from '@nestjs/common';
import type { AuditCheckpointView, AuditStatus } from '@wardwatch/shared';
import { severityNames } from '@wardwatch/shared';
import { AlertService } from '../alerts/alert.service';
import { Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger } from '../logging/json-logger';
import { GENESIS_HASH, verifyChain, type AuditRow } from '../audit/audit-chain';
import {
  checkAgainstCheckpoints,
  parseCheckpoints,
  signCheckpoint,
  type SignedCheckpoint,
} from '../audit/audit-checkpoint';
import { CheckpointFile } from '../audit/audit-checkpoint.store';
import { syslogLine, SyslogSender } from '../audit/audit-syslog';
import { AuditService } from '../audit/audit.service';

/** The manager raises audit alerts about itself: this stands where an agent id would. */
export const MANAGER_ALERT_SOURCE = 'manager';

type Failure = { firstBadSeq: number | null; reason: string };

@Injectable()
export class AuditVerificationService {
  private readonly log: JsonLogger;
  private status: AuditStatus;
  /** Runs one at a time (the schedule and the routes), so one failure state cannot race into two alerts. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly audit: AuditService,
    private readonly alerts: AlertService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(CheckpointFile) private readonly checkpoints: CheckpointFile,
    @Inject(SyslogSender) private readonly syslog: SyslogSender,
    logger: JsonLogger,
  ) {
    this.log = logger.child('audit');
    this.status = {
      lastVerifiedAt: null,
      result: 'not_verified',
      rows: 0,
      firstBadSeq: null,
      reason: null,
      keyedFromSeq: audit.keyring.keyedFromSeq,
      lastCheckpoint: null,
    };
  }

  current(): AuditStatus {
    return this.status;
  }

  /**
   * Verifies; when the trail holds, checkpoints it (`always`: even when nothing was
   * added since the last checkpoint); when it fails, raises the alert of that state.
   */
  run(checkpoint: 'when_changed' | 'always' = 'when_changed'): Promise<AuditStatus> {
    const next = this.queue.then(() => this.runNow(checkpoint));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(checkpoint: 'when_changed' | 'always'): Promise<AuditStatus> {
    const now = this.clock.now();
    const rows = await this.audit.readAll();
    const parsed = parseCheckpoints(await this.checkpoints.read(), this.audit.keyring);
    const signed = parsed.ok ? parsed.checkpoints : [];
    const latest = signed.at(-1);
    let lastCheckpoint: AuditCheckpointView | null =
      latest && this.status.lastCheckpoint?.timeMs === latest.timeMs ? this.status.lastCheckpoint : viewOf(latest);

    const failure = this.findFailure(rows, parsed);
    if (failure) {
      this.status = {
        ...this.status,
        lastVerifiedAt: now,
        result: 'failed',
        rows: rows.length,
        ...failure,
        lastCheckpoint,
      };
      await this.raiseAlert(failure);
      return this.status;
    }
    const head = rows.at(-1);
    const changed = !latest || latest.lastSeq !== rows.length || latest.lastMac !== (head?.hash ?? GENESIS_HASH);
    if (checkpoint === 'always' || changed) lastCheckpoint = await this.writeCheckpoint(rows.length, head?.hash, now);
    this.status = {
      ...this.status,
      lastVerifiedAt: now,
      result: 'ok',
      rows: rows.length,
      firstBadSeq: null,
      reason: null,
      lastCheckpoint,
    };
    return this.status;
  }

  private findFailure(rows: AuditRow[], parsed: ReturnType<typeof parseCheckpoints>): Failure | undefined {
    const chain = verifyChain(rows, this.audit.keyring);
    if (!chain.ok) return { firstBadSeq: chain.brokenAtSeq, reason: chain.reason };
    if (!parsed.ok) return { firstBadSeq: null, reason: parsed.reason };
    const against = checkAgainstCheckpoints(rows, parsed.checkpoints);
    if (!against.ok) return { firstBadSeq: against.badSeq, reason: against.reason };
    return undefined;
  }

  private async writeCheckpoint(
    count: number,
    headHash: string | undefined,
    now: number,
  ): Promise<AuditCheckpointView> {
    const checkpoint = signCheckpoint(this.audit.keyring, {
      lastSeq: count,
      count,
      lastMac: headHash ?? GENESIS_HASH,
      timeMs: now,
    });
    await this.checkpoints.append(checkpoint);
    const syslog = await this.syslog.send(syslogLine(JSON.stringify(checkpoint), now));
    if (syslog === 'unreachable') this.log.warn('audit checkpoint not sent to syslog', { lastSeq: count });
    this.log.info('audit checkpoint written', { lastSeq: count, syslog });
    return { ...viewOf(checkpoint)!, syslog };
  }

  private async raiseAlert(failure: Failure): Promise<void> {
    const since = failure.firstBadSeq ?? 0;
    const where = failure.firstBadSeq === null ? 'its checkpoint file' : `row ${failure.firstBadSeq}`;
    const id = await this.transactions.run((tx) =>
      this.alerts.raiseEpisode(
        {
          kind: 'audit_chain',
          agentId: MANAGER_ALERT_SOURCE,
          since,
          severity: severityNames.indexOf('critical'),
          title: `Audit trail altered at ${where}`,
          reasons: [`Scheduled verification of the audit trail failed: ${failure.reason}.`],
        },
        tx,
      ),
    );
    if (id === undefined) return;
    // Logged once per failure state, when its alert is raised.
    this.log.error('audit trail verification failed', {
      firstBadSeq: failure.firstBadSeq,
      reason: failure.reason,
      alertId: id,
    });
    // Not announced to alert listeners: playbooks act on workstations, and this alert has none.
  }
}

function viewOf(checkpoint: SignedCheckpoint | undefined): AuditCheckpointView | null {
  if (!checkpoint) return null;
  const { lastSeq, count, lastMac, timeMs } = checkpoint;
  return { lastSeq, count, lastMac, timeMs };
}
