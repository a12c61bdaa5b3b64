// A further kind of traffic that rides on the manager session beside the event
// batches (e.g. risk scores up, a fleet model down), without the session
// knowing its details: it adds fields to Hello, writes while connected, and
// handles the manager messages the session itself does not.
import type { AgentMessage, Hello, ManagerMessage } from '@wardwatch/proto';

export interface SessionChannel {
  /** Fields added to the Hello of each new stream. */
  helloFields?(): Partial<Hello>;
  /** The stream is accepted; `write` sends on it (false: gRPC buffers, wait a moment). */
  connected(write: (message: AgentMessage) => boolean): void;
  /** A message the session does not handle itself; true when this channel took it. */
  handle(message: ManagerMessage): boolean;
  /** The stream is gone (unacknowledged work goes back to its queue). */
  disconnected(): void;
}
