// Tells whoever listens (sign-in-alerts/ raises a manager alert) that a source was marked
// as spraying passwords. auth/ imports no alerting feature: they subscribe here, as playbooks/
// subscribe to alerts/. A listener's failure never reaches the sign-in that triggered it.
import { Injectable } from '@nestjs/common';

export interface SprayNotice {
  /** The client address (or its /64 for IPv6) the failures came from. */
  source: string;
  accounts: number;
  windowMs: number;
  at: number;
}

export type SprayListener = (notice: SprayNotice) => Promise<void>;

@Injectable()
export class SprayNotices {
  private readonly listeners: SprayListener[] = [];
  /** Listener failures, for tests and metrics; each is also the listener's to log. */
  failures = 0;

  subscribe(listener: SprayListener): void {
    this.listeners.push(listener);
  }

  announce(notice: SprayNotice): void {
    for (const listener of this.listeners) {
      listener(notice).catch(() => {
        this.failures += 1;
      });
    }
  }
}
