// Exactly-once ingest across a cut link: a loopback proxy between agent and
// manager stops carrying anything (a black hole, not a reset) for
// WARDWATCH_FAULT_CUT_S seconds (default 30, to keep CI short;
// WARDWATCH_FAULT_CUT_S=180 gives minutes, past the gRPC keepalive), then carries
// on. The agent keeps accepting events into its outbox meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactlyOnce, FaultFleet } from '../support/fault-fleet';

const cutMs = Number(process.env.WARDWATCH_FAULT_CUT_S ?? 30) * 1_000;

describe('fault: the link between agent and manager is cut', () => {
  let fleet: FaultFleet;
  beforeAll(async () => {
    fleet = await FaultFleet.start({ proxy: true });
  }, 120_000);
  afterAll(async () => fleet?.stop(), 60_000);

  it(
    `stores every event the agent accepted exactly once, after a ${cutMs / 1_000} s cut`,
    async () => {
      const proxy = fleet.proxy!;
      fleet.startWriting(40);
      await fleet.waitForAccepted(40, 30_000);
      const before = await fleet.sequenceReport();
      proxy.cutLink();
      await fleet.waitForAccepted(100, 30_000);
      await new Promise((resolve) => setTimeout(resolve, cutMs));
      // Nothing got through: the agent held what it accepted meanwhile.
      const during = await fleet.sequenceReport();
      expect((during?.events ?? 0) - (before?.events ?? 0)).toBeLessThan(200);
      expect((await fleet.agentStatus()).counts.queued).toBeGreaterThan(100);
      proxy.restoreLink();
      await fleet.waitForAccepted(40, 60_000);
      const agent = await fleet.drainAndStopAgent(120_000);
      expect(agent, fleet.tail()).toMatchObject({ dropped: 0, unsent: 0 });
      expect(agent.accepted).toBeGreaterThan(500);
      expect(await fleet.sequenceReport()).toMatchObject(exactlyOnce(agent.accepted));
    },
    120_000 + 2 * cutMs,
  );
});
