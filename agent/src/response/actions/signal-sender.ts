// Sending a signal to a pid: the side effect of revoking sessions and killing trees.
// Outcomes instead of exceptions, because "already gone" is the normal end of a race.

export type SignalOutcome = 'sent' | 'gone' | 'denied';

export interface SignalSender {
  send(pid: number, signal: NodeJS.Signals): SignalOutcome;
}

export class ProcessSignalSender implements SignalSender {
  send(pid: number, signal: NodeJS.Signals): SignalOutcome {
    // pid ≤ 0 would signal process groups or everything: never meant here.
    if (!Number.isInteger(pid) || pid <= 0) return 'denied';
    try {
      process.kill(pid, signal);
      return 'sent';
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : 'denied';
    }
  }
}
