import { describe, expect, it } from 'vitest';
import { ManagerMetrics } from '../metrics/manager-metrics';
import { metricValue } from '../testing/metric-value.fixture';
import { AgentSessionsRegistry } from './agent-sessions.registry';

describe('AgentSessionsRegistry', () => {
  it('shows the streams open now, all agents together, as the agent sessions gauge', async () => {
    const metrics = new ManagerMetrics();
    const registry = new AgentSessionsRegistry(metrics);
    const a1 = { close: () => undefined, send: () => false };
    const a2 = { close: () => undefined, send: () => false };
    registry.add('agent-a', a1);
    registry.add('agent-a', a2);
    registry.add('agent-b', { close: () => undefined, send: () => false });
    expect(await metricValue(metrics, 'wardwatch_agent_sessions')).toBe(3);
    registry.remove('agent-a', a1);
    expect(await metricValue(metrics, 'wardwatch_agent_sessions')).toBe(2);
  });
});
