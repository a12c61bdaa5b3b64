import { Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import type { EventSink } from '../collectors/collector';
import { ScoringSink } from './scoring-sink';

const event: Event = {
  id: 'e1',
  timeMs: 1,
  severity: Severity.SEVERITY_INFO,
  user: 'nurse.jones',
  sequence: 0,
  detail: undefined,
};

describe('ScoringSink', () => {
  it('passes each event on first, then scores it with its clear values; parse errors go straight through', () => {
    const order: string[] = [];
    const next: EventSink = {
      emit: (e) => order.push(`sent ${e.user}`),
      parseError: (c, r) => order.push(`parse ${c} ${r}`),
    };
    const sink = new ScoringSink(next, { observe: (e) => order.push(`scored ${e.user}`) });
    sink.emit(event);
    sink.parseError('logins', 'not a syslog line');
    expect(order).toEqual(['sent nurse.jones', 'scored nurse.jones', 'parse logins not a syslog line']);
  });
});
