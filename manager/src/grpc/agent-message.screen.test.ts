import { AgentMessage, Severity, type Event } from '@wardwatch/proto';
import { describe, expect, it } from 'vitest';
import { decodeScreened, screenAgentMessage, type BatchCaps } from './agent-message.screen';

const caps: BatchCaps = { maxEventsPerBatch: 100, maxBatchBytes: 64 * 1024, maxScoresPerBatch: 10 };

const event = (i: number): Event => ({
  id: `ev-${i}`,
  timeMs: 1_000,
  sequence: 0,
  severity: Severity.SEVERITY_INFO,
  user: 'u_0123456789abcdef',
  detail: {
    $case: 'process',
    value: { action: 'start', pid: i, ppid: 1, executable: '', commandLine: '', sha256: '' },
  },
});

const encode = (message: AgentMessage) => Buffer.from(AgentMessage.encode(message).finish());
const events = (count: number, dropped: Record<string, number> = {}) =>
  encode({
    body: {
      $case: 'events',
      value: { sequence: 42, events: Array.from({ length: count }, (_, i) => event(i)), dropped },
    },
  });

describe('screenAgentMessage', () => {
  it('passes a batch within the caps with its event count and sequence, decoded later as generated', () => {
    const screened = screenAgentMessage(events(100, { budget: 3 }), caps);
    expect(screened).toMatchObject({ ok: true, events: 100, sequence: 42 });
    const message = screened.ok ? decodeScreened(screened.bytes) : undefined;
    if (message?.body?.$case === 'events') {
      expect(message.body.value.events).toHaveLength(100);
      expect(message.body.value.dropped).toEqual({ budget: 3 });
    } else expect.fail('not an event batch');
    const hello = screenAgentMessage(
      encode({ body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: '1' } } }),
      caps,
    );
    expect(hello).toMatchObject({ ok: true, events: 0 });
    expect(hello.ok && decodeScreened(hello.bytes)).toEqual({
      body: { $case: 'hello', value: { commandKeyIds: [], agentVersion: '1' } },
    });
    expect(decodeScreened(Buffer.from([0x0a, 0x05, 0x01]))).toBeUndefined();
  });

  it('refuses a batch over the event, byte, score and drop-reason caps, naming its sequence', () => {
    expect(screenAgentMessage(events(101), caps)).toMatchObject({
      ok: false,
      refusal: { cap: 'batch_events', sequence: 42, message: 'event batch 42 holds 101 events; at most 100 per batch' },
    });
    expect(screenAgentMessage(events(50), { ...caps, maxBatchBytes: 1_024 })).toMatchObject({
      ok: false,
      refusal: { cap: 'batch_bytes', kind: 'events' },
    });
    const manyReasons = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`r${i}`, 1]));
    expect(screenAgentMessage(events(1, manyReasons), caps)).toMatchObject({
      ok: false,
      refusal: { cap: 'batch_dropped_reasons' },
    });
    const score = {
      id: 's',
      windowStartMs: 0,
      windowEndMs: 1,
      user: 'u_0123456789abcdef',
      score: 1,
      threshold: 60,
      severity: Severity.SEVERITY_LOW,
      modelSource: 'own',
      baselineSource: 'user',
      reasons: [],
      ruleIds: [],
      scoredAtMs: 1,
      partial: false,
      suspects: [],
    };
    const scores = encode({
      body: { $case: 'scores', value: { sequence: 7, scores: Array.from({ length: 11 }, () => score) } },
    });
    expect(screenAgentMessage(scores, caps)).toMatchObject({
      ok: false,
      refusal: { cap: 'batch_scores', kind: 'scores', sequence: 7 },
    });
  });

  it('refuses 4 million empty events from the framing alone, quickly', () => {
    // AgentMessage.events (field 2) holding EventBatch with 4M empty events (field 2, length 0).
    const inner = Buffer.alloc(4_000_000 * 2);
    for (let i = 0; i < inner.length; i += 2) inner[i] = 0x12;
    const lengthVarint: number[] = [];
    for (let n = inner.length; ; n = Math.floor(n / 128)) {
      if (n < 128) {
        lengthVarint.push(n);
        break;
      }
      lengthVarint.push((n % 128) | 0x80);
    }
    const message = Buffer.concat([Buffer.from([0x12, ...lengthVarint]), inner]);
    const started = performance.now();
    const screened = screenAgentMessage(message, { ...caps, maxBatchBytes: 16 * 1024 * 1024 });
    const tookMs = performance.now() - started;
    expect(screened).toMatchObject({
      ok: false,
      refusal: { cap: 'batch_events', message: expect.stringContaining('4000000 events') as unknown },
    });
    expect(tookMs).toBeLessThan(2_000); // was 74 s decoded and validated one by one
  });

  it('refuses bytes that are not protobuf without throwing', () => {
    expect(screenAgentMessage(Buffer.from([0x12, 0xff]), caps)).toMatchObject({
      ok: false,
      refusal: { cap: 'malformed' },
    });
    expect(screenAgentMessage(Buffer.from([0x0b]), caps)).toMatchObject({ ok: false, refusal: { cap: 'malformed' } });
  });

  it('refuses a heartbeat naming more than 32 components or drop reasons before decoding it', () => {
    const heartbeat = (components: number, reasons: number) =>
      encode({
        body: {
          $case: 'heartbeat',
          value: {
            timeMs: 1,
            stats: {
              eventsSent: 1,
              eventsDropped: reasons,
              queueLength: 0,
              cpuPercent: 0,
              rssBytes: 1,
              droppedByReason: Object.fromEntries(Array.from({ length: reasons }, (_, i) => [`r${i}`, 1])),
              outboxBytes: 0,
            },
            components: Array.from({ length: components }, (_, i) => ({
              name: `c${i}`,
              state: 'running',
              message: '',
              sinceMs: 1,
            })),
          },
        },
      });
    expect(screenAgentMessage(heartbeat(32, 32), caps)).toMatchObject({ ok: true, events: 0 });
    expect(screenAgentMessage(heartbeat(33, 0), caps)).toEqual({
      ok: false,
      refusal: {
        cap: 'heartbeat_invalid',
        kind: 'heartbeat',
        sequence: 0,
        message: 'heartbeat names 33 components; at most 32',
      },
    });
    expect(screenAgentMessage(heartbeat(0, 33), caps)).toMatchObject({
      ok: false,
      refusal: { cap: 'heartbeat_invalid', message: 'heartbeat names 33 drop reasons; at most 32' },
    });
    const huge = heartbeat(0, 20_000);
    const started = performance.now();
    expect(screenAgentMessage(huge, caps).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
