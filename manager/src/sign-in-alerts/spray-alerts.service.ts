// A password spray (one source failing on many accounts, auth/throttle/) becomes a manager
// alert for the analysts, not only an audit row: one per source per spray window, however
// many failures follow (kept in memory, bounded; a restart may raise one more).
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { severityNames } from '@wardwatch/shared';
import { AlertService } from '../alerts/alert.service';
import { SprayNotices, type SprayNotice } from '../auth/throttle/spray-notices';
import { MANAGER_CONFIG, type ManagerConfig } from '../config/config.schema';
import { TransactionRunner } from '../database/transaction.runner';
import { JsonLogger } from '../logging/json-logger';

/** The agent id of alerts the manager raises about itself (as audit-verification/ does). */
const MANAGER_ALERT_SOURCE = 'manager';
const MAX_TRACKED_SOURCES = 10_000;

@Injectable()
export class SprayAlertsService implements OnModuleInit {
  /** Source → until when a further spray notice from it raises nothing. */
  private readonly quietUntil = new Map<string, number>();
  private readonly log: JsonLogger;

  constructor(
    private readonly notices: SprayNotices,
    private readonly alerts: AlertService,
    private readonly transactions: TransactionRunner,
    @Inject(MANAGER_CONFIG) private readonly config: Pick<ManagerConfig, 'signIn'>,
    logger: JsonLogger,
  ) {
    this.log = logger.child('sign-in-alerts');
  }

  onModuleInit(): void {
    this.notices.subscribe(async (notice) => {
      try {
        await this.onSpray(notice);
      } catch (error) {
        this.log.error('spray alert not raised', { source: notice.source, error: String(error) });
        throw error;
      }
    });
  }

  /** Returns the alert id when one was raised. */
  async onSpray(notice: SprayNotice): Promise<string | undefined> {
    const until = this.quietUntil.get(notice.source);
    if (until !== undefined && until > notice.at) return undefined;
    this.remember(notice.source, notice.at + this.config.signIn.sprayWindowMs);
    const minutes = Math.round(notice.windowMs / 60_000);
    return this.transactions.run((tx) =>
      this.alerts.raiseEpisode(
        {
          kind: 'sign_in_spray',
          agentId: MANAGER_ALERT_SOURCE,
          since: notice.at,
          severity: severityNames.indexOf('high'),
          title: `Password spray from ${notice.source}`,
          reasons: [
            `Failed sign-ins on ${notice.accounts} different accounts from ${notice.source} within ${minutes} min; the source is slowed.`,
          ],
        },
        tx,
      ),
    );
  }

  private remember(source: string, until: number): void {
    if (this.quietUntil.size >= MAX_TRACKED_SOURCES) {
      const now = until - this.config.signIn.sprayWindowMs;
      for (const [key, value] of this.quietUntil) if (value <= now) this.quietUntil.delete(key);
      if (this.quietUntil.size >= MAX_TRACKED_SOURCES) this.quietUntil.delete(this.quietUntil.keys().next().value!);
    }
    this.quietUntil.set(source, until);
  }
}
