// Small waits for the fault tests: a random pause (faults land at random
// moments of the stream) and "the agent connected again after this point".
import type { ServiceProcess } from '../../scripts/lib/child-process';

export function pause(minMs: number, maxMs: number): Promise<void> {
  const ms = minMs + Math.random() * (maxMs - minMs);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Call before the fault; the returned wait resolves at the agent's next "agent connected" line. */
export function connectedAgain(agent: ServiceProcess): (timeoutMs: number) => Promise<void> {
  let seen = false;
  let carry = '';
  const stdout = agent.child.stdout!;
  const watch = (chunk: Buffer) => {
    // A line may be split between chunks: keep the end of the previous one.
    const text = carry + chunk.toString();
    if (text.includes('"msg":"agent connected"')) seen = true;
    carry = text.slice(-100);
  };
  stdout.on('data', watch);
  return async (timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    try {
      while (!seen) {
        if (Date.now() > deadline) throw new Error(`the agent did not connect again within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      stdout.off('data', watch);
    }
  };
}
