import { describe, expect, it } from 'vitest';
import { ComponentHealthRegistry, COMPONENT_MESSAGE_MAX, COMPONENT_NAME_MAX, MAX_COMPONENTS } from './component-health';

describe('ComponentHealthRegistry', () => {
  it('keeps since as the time the state changed, not the time it was last reported', () => {
    let now = 1_000;
    const health = new ComponentHealthRegistry(() => now);
    health.report('collector.files', 'running');
    health.report('local-api', 'failed', 'EADDRINUSE: port 47110 on 127.0.0.1 is held by another process');
    now = 2_000;
    health.report('local-api', 'failed', 'EADDRINUSE again');
    health.report('collector.files', 'failed', 'EACCES');
    expect(health.list()).toEqual([
      { name: 'collector.files', state: 'failed', message: 'EACCES', sinceMs: 2_000 },
      { name: 'local-api', state: 'failed', message: 'EADDRINUSE again', sinceMs: 1_000 },
    ]);
    now = 3_000;
    health.report('local-api', 'running', 'ignored');
    expect(health.failed().map((c) => c.name)).toEqual(['collector.files']);
    expect(health.list()[1]).toEqual({ name: 'local-api', state: 'running', message: '', sinceMs: 3_000 });
  });

  it('stays within the bounds the manager accepts', () => {
    const health = new ComponentHealthRegistry(() => 1);
    health.report('x'.repeat(200), 'failed', 'y'.repeat(5_000));
    const [long] = health.list();
    expect(long?.name).toHaveLength(COMPONENT_NAME_MAX);
    expect(long?.message).toHaveLength(COMPONENT_MESSAGE_MAX);
    expect(long?.message.endsWith('…')).toBe(true);
    for (let i = 0; i < 40; i++) health.report(`collector.c${i}`, 'running');
    expect(health.list()).toHaveLength(MAX_COMPONENTS);
    // One already known is still updated when full.
    health.report('collector.c0', 'stopped');
    expect(health.list().find((c) => c.name === 'collector.c0')?.state).toBe('stopped');
  });

  it('hands out copies, so a reader cannot change what is reported', () => {
    const health = new ComponentHealthRegistry(() => 1);
    health.report('scoring', 'running');
    const [first] = health.list();
    if (first) first.state = 'failed';
    expect(health.list()[0]?.state).toBe('running');
  });
});
