// The policy traffic on the manager session (a SessionChannel): SignedPolicy down;
// PolicyCompliance up after each Hello and after each policy handled. Hello carries the
// revision in force, so the manager sends a newer one only when there is one.
import type { AgentMessage, ManagerMessage } from '@wardwatch/proto';
import type { Logger } from '../logging/logger';
import type { SessionChannel } from '../transport/session-channel';
import type { PolicyService } from './policy-service';

export class PolicyChannel implements SessionChannel {
  private write: ((message: AgentMessage) => boolean) | null = null;
  /** Policies are handled one after another, in the order they arrived. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: PolicyService,
    private readonly logger: Logger,
  ) {}

  helloFields(): { policyRevision: number } {
    return { policyRevision: this.service.appliedRevision() };
  }

  connected(write: (message: AgentMessage) => boolean): void {
    this.write = write;
    this.enqueue(() => this.report());
  }

  handle(message: ManagerMessage): boolean {
    const body = message.body;
    if (body?.$case !== 'signedPolicy') return false;
    const signed = body.value;
    this.enqueue(async () => {
      await this.service.handle(signed);
      await this.report();
    });
    return true;
  }

  disconnected(): void {
    this.write = null;
  }

  /** Resolves when every policy received so far has been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(work)
      .catch((error: unknown) => this.logger.error('policy handling failed', { error: String(error) }));
  }

  private async report(): Promise<void> {
    const compliance = await this.service.compliance();
    this.write?.({ body: { $case: 'policyCompliance', value: compliance } });
  }
}
