// The evaluation audit on SQLite and PostgreSQL: one chained row per agent per window with
// its counts, and nothing for a quiet window.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/config.schema';
import { JsonLogger } from '../logging/json-logger';
import { databaseForTests } from '../testing/engine-database.fixture';
import { FakeClock } from '../testing/fakes/fakes';
import { testEngines } from '../testing/test-engines.fixture';
import { EVALUATION_AUDIT_ACTION, EvaluationAuditJob } from './evaluation-audit.job';
import { EvaluationTally } from './evaluation-tally';

describe.each(testEngines)('pseudonym evaluation audit on $name', ({ make, skip }) => {
  const open = databaseForTests({ make, skip });

  it.skipIf(skip)('writes one row per agent per window with values, calls and refusals', async () => {
    const clock = new FakeClock(1_800_000_000_000);
    const tally = new EvaluationTally(clock.now());
    const { audit } = open.services;
    const job = new EvaluationAuditJob(tally, audit, clock, parseConfig({}, '/tmp'), new JsonLogger('error'));
    clock.advance(1_000);
    for (let i = 0; i < 100; i++) tally.evaluated('agent-a', 64, clock.now());
    tally.refused('agent-a', 'rate_limited', clock.now());
    tally.refused('agent-a', 'rate_limited', clock.now());
    tally.evaluated('agent-b', 3, clock.now());
    clock.advance(3_600_000);
    await job.tick();
    clock.advance(3_600_000);
    await job.tick(); // quiet window
    tally.refused('agent-b', 'bad_element', clock.now());
    clock.advance(60_000);
    await job.tick();

    const rows = (await audit.readAll()).filter((r) => r.action === EVALUATION_AUDIT_ACTION);
    expect(rows.map((r) => [r.actor, r.target, r.details])).toEqual([
      [
        'agent:agent-a',
        'agent-a',
        {
          windowStartMs: 1_800_000_000_000,
          windowEndMs: 1_800_003_601_000,
          firstCallMs: 1_800_000_001_000,
          values: 6_400,
          calls: 102,
          refused: { rate_limited: 2 },
        },
      ],
      [
        'agent:agent-b',
        'agent-b',
        {
          windowStartMs: 1_800_000_000_000,
          windowEndMs: 1_800_003_601_000,
          firstCallMs: 1_800_000_001_000,
          values: 3,
          calls: 1,
          refused: {},
        },
      ],
      [
        'agent:agent-b',
        'agent-b',
        {
          windowStartMs: 1_800_007_201_000,
          windowEndMs: 1_800_007_261_000,
          firstCallMs: 1_800_007_201_000,
          values: 0,
          calls: 1,
          refused: { bad_element: 1 },
        },
      ],
    ]);
    expect((await audit.verify()).ok).toBe(true);
  });
});
