// Ctrl-C in a terminal sends SIGINT to every process of the group, often more
// than once. A manager with agents connected must still stop cleanly: streams
// closed, agents marked offline before the database closes, exit code 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../support/fleet';

describe('manager shutdown with an agent connected', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet();
  }, 120_000);
  afterAll(async () => fleet?.stop());

  it('survives a second SIGINT, exits 0 and logs no error', async () => {
    const manager = fleet.manager.process;
    manager.child.kill('SIGINT');
    manager.child.kill('SIGINT');
    const code = await manager.exited;

    const errors = manager.output.filter((line) => /"level":"(error|fatal)"/.test(line));
    expect(errors).toEqual([]);
    expect(manager.output.some((line) => line.includes('"msg":"manager stopped"'))).toBe(true);
    expect(code).toBe(0);
    // The agent keeps running and waits for its manager to come back.
    await fleet.agent.waitForLog((line) => line.msg === 'manager unreachable, retrying', 15_000);
  });
});
