// Exactly-once ingest on PostgreSQL while the database server is restarted under
// load: once as after a crash (immediate stop, WAL recovery) and once cleanly
// (fast stop). A private cluster (initdb into a temp folder, its own port): the
// shared server on 5432 is never touched, other tests use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactlyOnce, FaultFleet } from '../support/fault-fleet';
import { pause } from '../support/fault-timing';
import { postgresBinDir, PrivatePostgres } from '../support/private-postgres';

const bin = postgresBinDir();
// Without the server binaries the test cannot run: it fails in CI, and is skipped (saying why) elsewhere.
const skip = !bin && process.env.CI !== 'true';
if (skip) console.warn('postgres-restart fault test skipped: no /usr/lib/postgresql/*/bin/initdb');

describe.skipIf(skip)('fault: PostgreSQL restarts under load', () => {
  let pg: PrivatePostgres;
  let fleet: FaultFleet;
  beforeAll(async () => {
    if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin/');
    pg = await PrivatePostgres.create(bin);
    fleet = await FaultFleet.start({ databaseUrl: pg.url });
  }, 180_000);
  afterAll(async () => {
    await fleet?.stop();
    await pg?.destroy();
  }, 60_000);

  it('stores every event the agent accepted exactly once, over a crash stop and a clean restart', async () => {
    fleet.startWriting(40);
    await fleet.waitForAccepted(40, 30_000);
    for (const mode of ['immediate', 'fast'] as const) {
      await pause(300, 1_500);
      await pg.stop(mode);
      await pause(1_000, 3_000); // the agent keeps writing; the manager cannot store
      await pg.start();
      await fleet.waitForAccepted(40, 60_000);
    }
    const agent = await fleet.drainAndStopAgent(90_000);
    expect(agent, fleet.tail()).toMatchObject({ dropped: 0, unsent: 0 });
    expect(agent.accepted).toBeGreaterThan(150);
    expect(await fleet.sequenceReport()).toMatchObject(exactlyOnce(agent.accepted));
  }, 240_000);
});
