// Exactly-once ingest when the agent itself is SIGKILLed while it writes to its
// outbox and streams, then started again: what it had stored comes back from
// disk and is sent (once), numbering goes on without a gap or a repeat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactlyOnce, FaultFleet } from '../support/fault-fleet';
import { connectedAgain, pause } from '../support/fault-timing';

describe('fault: the agent is SIGKILLed while it writes', () => {
  let fleet: FaultFleet;
  beforeAll(async () => {
    fleet = await FaultFleet.start();
  }, 120_000);
  afterAll(async () => fleet?.stop(), 60_000);

  it('stores every event the agent accepted exactly once, after 3 kills and restarts', async () => {
    fleet.startWriting(40);
    await fleet.waitForAccepted(40, 30_000);
    for (let kill = 0; kill < 3; kill++) {
      await pause(300, 2_000);
      await fleet.killAgent();
      await fleet.startAgent();
      await connectedAgain(fleet.agent.process)(60_000);
      await fleet.waitForAccepted(20, 30_000);
    }
    const agent = await fleet.drainAndStopAgent(60_000);
    expect(agent, fleet.tail()).toMatchObject({ dropped: 0, unsent: 0 });
    expect(agent.accepted).toBeGreaterThan(100);
    expect(await fleet.sequenceReport()).toMatchObject(exactlyOnce(agent.accepted));
  }, 240_000);
});
