// Scores up, fleet model and analysts' verdicts down, on the manager session (a
// SessionChannel): score batches from the ScoreQueue go out while the stream is up, a
// ScoreAck releases them; a FleetModel from the manager is handed to the installer,
// ScoreVerdicts to the verdicts' receiver.
import type { AgentMessage, FleetModel, ManagerMessage, Score, ScoreVerdicts } from '@wardwatch/proto';
import type { Logger } from '../../logging/logger';
import type { SessionChannel } from '../../transport/session-channel';
import type { ScoreQueue } from './score-queue';

export interface FleetModelInstaller {
  /** Version of the fleet model held, "" for none (reported in Hello). */
  version(): string;
  install(model: FleetModel): void;
}

export interface VerdictReceiver {
  /** Takes the verdicts in the background; never throws. */
  apply(message: ScoreVerdicts): void;
}

export interface ScoreChannelOptions {
  queue: ScoreQueue;
  fleet: FleetModelInstaller;
  /** Analysts' verdicts on this agent's scores (absent: the message is left to the other channels). */
  verdicts?: VerdictReceiver;
  logger: Logger;
  batchSize?: number;
  maxInFlightBatches?: number;
  /** How long a new score waits for company before its batch goes out. */
  flushDelayMs?: number;
}

export class ScoreChannel implements SessionChannel {
  private write: ((message: AgentMessage) => boolean) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ScoreChannelOptions) {}

  helloFields(): { fleetModelVersion: string } {
    return { fleetModelVersion: this.options.fleet.version() };
  }

  connected(write: (message: AgentMessage) => boolean): void {
    this.write = write;
    this.pump();
  }

  handle(message: ManagerMessage): boolean {
    const body = message.body;
    if (body?.$case === 'scoreAck') {
      const released = this.options.queue.ack(body.value.sequence);
      this.options.logger.debug('score batch acknowledged', { sequence: body.value.sequence, scores: released });
      this.pump();
      return true;
    }
    if (body?.$case === 'fleetModel') {
      this.options.fleet.install(body.value);
      return true;
    }
    if (body?.$case === 'scoreVerdicts' && this.options.verdicts) {
      this.options.verdicts.apply(body.value);
      return true;
    }
    return false;
  }

  disconnected(): void {
    this.write = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.options.queue.requeueInFlight();
  }

  send(score: Score): void {
    this.options.queue.push(score);
    if (!this.write || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, this.options.flushDelayMs ?? 100);
    this.timer.unref?.();
  }

  /**
   * A score that must not wait for company (a critical rule hit: a response may
   * depend on it): queued, and its batch goes out now if the stream is up.
   */
  sendNow(score: Score): void {
    this.options.queue.push(score);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pump();
  }

  private pump(): void {
    const { queue } = this.options;
    while (this.write && queue.hasWaiting() && queue.inFlightBatches < (this.options.maxInFlightBatches ?? 4)) {
      const batch = queue.takeBatch(this.options.batchSize ?? 100);
      if (!batch) break;
      this.write({ body: { $case: 'scores', value: batch } });
    }
  }
}
