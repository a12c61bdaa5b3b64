// Exactly-once ingest while the manager is SIGKILLed at random moments and started
// again, five times, as an agent streams file events: batches committed but not
// acknowledged come again and are stored once; nothing accepted is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactlyOnce, FaultFleet } from '../support/fault-fleet';
import { connectedAgain, pause } from '../support/fault-timing';

describe('fault: the manager is SIGKILLed while an agent streams', () => {
  let fleet: FaultFleet;
  beforeAll(async () => {
    fleet = await FaultFleet.start();
  }, 120_000);
  afterAll(async () => fleet?.stop(), 60_000);

  it('stores every event the agent accepted exactly once, after 5 kills and restarts', async () => {
    fleet.startWriting(40);
    await fleet.waitForAccepted(40, 30_000);
    for (let kill = 0; kill < 5; kill++) {
      await pause(300, 2_500); // a random moment in the stream
      const reconnected = connectedAgain(fleet.agent.process);
      await fleet.killManager();
      await pause(0, 1_000);
      await fleet.startManager();
      await reconnected(60_000);
    }
    await fleet.waitForAccepted(40, 30_000);
    const agent = await fleet.drainAndStopAgent(60_000);
    expect(agent, fleet.tail()).toMatchObject({ dropped: 0, unsent: 0 });
    expect(agent.accepted).toBeGreaterThan(200);
    expect(await fleet.sequenceReport()).toMatchObject(exactlyOnce(agent.accepted));
    // Generous: each restart waits for a manager start and the agent's reconnect backoff
    // (up to ~20 s each on a loaded machine); about 90 s on an idle one.
  }, 480_000);
});
