// The response traffic on the manager session (a SessionChannel): SignedCommand and
// CommandResultAck down; CommandResult and LocalAction up, through the service, which
// keeps them on disk until they may be forgotten. Hello carries the pinned key ids.
import type { AgentMessage, ManagerMessage } from '@wardwatch/proto';
import type { Logger } from '../logging/logger';
import type { SessionChannel } from '../transport/session-channel';
import type { ResponseService } from './response-service';

export class ResponseChannel implements SessionChannel {
  /** Commands are handled one after another, in the order they arrived. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: ResponseService,
    private readonly logger: Logger,
  ) {}

  helloFields(): { commandKeyIds: string[] } {
    return { commandKeyIds: this.service.commandKeyIds() };
  }

  connected(write: (message: AgentMessage) => boolean): void {
    this.service.connected(write);
  }

  handle(message: ManagerMessage): boolean {
    const body = message.body;
    if (body?.$case === 'signedCommand') {
      const signed = body.value;
      this.queue = this.queue
        .then(() => this.service.handleSignedCommand(signed))
        .catch((error: unknown) => this.logger.error('command handling failed', { error: String(error) }));
      return true;
    }
    if (body?.$case === 'commandResultAck') {
      this.service.acknowledge(body.value.commandId, body.value.outcome);
      return true;
    }
    return false;
  }

  disconnected(): void {
    this.service.disconnected();
  }

  /** Resolves when every command received so far has been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }
}
