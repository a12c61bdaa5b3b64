import type { Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { AttributionSink } from '../attribution/attribution-sink';
import { ScoringSink } from '../pipeline/scoring-sink';
import { VersionSink } from '../protection/versions/version-sink';
import { RecordingSink } from './collector-test-sink.fixture';

describe('the sinks in front of the pipeline', () => {
  it('pass parse errors and events held back at a bound through to the pipeline, as the agent chains them', () => {
    const pipeline = new RecordingSink();
    const chain = new AttributionSink(
      new VersionSink(new ScoringSink(pipeline, { observe: () => undefined }), { observe: () => undefined }),
      { current: () => 'nurse.ana' },
    );
    const read = { id: 'r1', timeMs: 1, sequence: 0, user: 'dr.ben' } as Event;
    chain.overLimit(read);
    chain.parseError('reads', 'audit record without msg=audit(time:serial)');
    expect(pipeline.overLimits).toEqual([read]);
    expect(pipeline.errors).toEqual([{ collector: 'reads', reason: 'audit record without msg=audit(time:serial)' }]);
    expect(pipeline.events).toEqual([]);
  });
});
