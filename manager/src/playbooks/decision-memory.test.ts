import { describe, expect, it } from 'vitest';
import { fake, FakeClock } from '../testing/fakes/fakes';
import { InMemoryPlaybookDecisionRepository } from '../testing/fakes/playbook-decision.repository.fake';
import { DecisionMemory, PRUNE_BATCH, PRUNE_EVERY_MS, REMEMBER_MS } from './decision-memory';

function sut() {
  const rows = new InMemoryPlaybookDecisionRepository();
  const clock = new FakeClock(1_000_000_000_000);
  return { rows, clock, memory: new DecisionMemory(fake(rows), clock) };
}

describe('DecisionMemory', () => {
  it('claims each (alert, key) once', async () => {
    const { memory } = sut();
    expect(await memory.claim('a1', 'lock_screen')).toBe(true);
    expect(await memory.claim('a1', 'lock_screen')).toBe(false);
    expect(await memory.claim('a1', 'block_removable')).toBe(true);
  });

  it('prunes rows older than the memory on a later claim, at most once a minute and a batch at a time', async () => {
    const { memory, rows, clock } = sut();
    for (let i = 0; i < PRUNE_BATCH + 5; i++)
      rows.rows.push({ alertId: `old-${i}`, decisionKey: 'notify', decidedAt: clock.now() - REMEMBER_MS - 1 });
    await memory.claim('new-1', 'notify');
    expect(rows.rows).toHaveLength(6);
    // Within the minute: no prune, so the five left stay.
    await memory.claim('new-2', 'notify');
    expect(rows.rows).toHaveLength(7);
    clock.advance(PRUNE_EVERY_MS);
    await memory.claim('new-3', 'notify');
    expect(rows.rows.map((r) => r.alertId).sort()).toEqual(['new-1', 'new-2', 'new-3']);
  });

  it('keeps a row the whole memory period, so a late growth of the alert is still recognised', async () => {
    const { memory, clock } = sut();
    await memory.claim('a1', 'kill_process_tree:42:7');
    clock.advance(REMEMBER_MS - 1);
    await memory.claim('other', 'notify');
    expect(await memory.claim('a1', 'kill_process_tree:42:7')).toBe(false);
  });
});
