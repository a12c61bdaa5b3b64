import { AgentMessage, EventBatch } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { fileEvent, loginEvent } from '../outbox/test-events.fixture';
import { EncodedAgentMessage, serializeOutgoing } from './session-call';

describe('the session stream sends encoded batches as they are', () => {
  it('an encoded batch decodes, on the manager, as the AgentMessage carrying it', () => {
    const batch = { sequence: 9, events: [fileEvent('a', 'phi'), loginEvent('b')], dropped: { 'expired.low.file': 2 } };
    const wire = serializeOutgoing(EncodedAgentMessage.events(EventBatch.encode(batch).finish()));
    expect(AgentMessage.decode(wire)).toEqual({ body: { $case: 'events', value: batch } });
  });

  it('any other message is encoded as before', () => {
    const heartbeat: AgentMessage = {
      body: { $case: 'heartbeat', value: { timeMs: 5, stats: undefined, components: [] } },
    };
    expect(AgentMessage.decode(serializeOutgoing(heartbeat))).toEqual(heartbeat);
  });
});
