// For the gRPC fuzz: fast-check arbitraries of protobuf payloads that are almost an
// AgentMessage (a valid one, then bit flips, truncation, inserted bytes, lying or
// enormous length prefixes, oversized varints, wrong wire types, repeated and
// unknown fields, nested garbage) and of random bytes. Valid messages come from the
// generated encoder, so the mutations start from what a real agent sends.
import fc from 'fast-check';
import { AgentMessage, Severity, type CommandOutcome, type Event } from '@wardwatch/proto';

/** A protobuf varint. */
export function varint(value: number | bigint): Buffer {
  const bytes: number[] = [];
  let v = BigInt(value);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

const tag = (field: number, wire: number) => varint(field * 8 + wire);
const lengthDelimited = (field: number, payload: Buffer, declared = payload.length) =>
  Buffer.concat([tag(field, 2), varint(declared), payload]);

export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '\u0000', '<script>x</script>', 'x'.repeat(2000), '../../etc/passwd'),
);
const int = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER));
const timeMs = fc.oneof(
  fc.constant(Date.now()),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constant(Date.now() + 10 ** 12),
);

// Mostly an event the manager would store, so that what gets stored is checked too.
const event: fc.Arbitrary<Event> = fc.record({
  id: fc.oneof(fc.uuid(), hostileText),
  timeMs: fc.oneof({ weight: 3, arbitrary: fc.constant(Date.now()) }, { weight: 1, arbitrary: timeMs }),
  sequence: fc.nat(),
  severity: fc.constantFrom(...Object.values(Severity).filter((v): v is Severity => typeof v === 'number')),
  user: fc.oneof(fc.constant('u_0123456789abcdef'), hostileText),
  detail: fc.constant({
    $case: 'process' as const,
    value: { action: 'start', pid: 4242, ppid: 1, executable: '/usr/bin/ssh', commandLine: '', sha256: '' },
  }),
});

/** A valid AgentMessage of every kind, with attacker-chosen values. */
export const validAgentMessage: fc.Arbitrary<AgentMessage> = fc.oneof(
  fc
    .record({
      hostname: hostileText,
      os: hostileText,
      osVersion: hostileText,
      agentVersion: hostileText,
      fleetModelVersion: hostileText,
    })
    .map((h) => ({
      body: {
        $case: 'hello' as const,
        value: { agentVersion: h.agentVersion, host: h, fleetModelVersion: h.fleetModelVersion, commandKeyIds: [] },
      },
    })),
  fc
    .tuple(fc.nat(), fc.array(event, { maxLength: 4 }), fc.dictionary(hostileText, fc.nat(), { maxKeys: 3 }))
    .map(([sequence, events, dropped]) => ({
      body: { $case: 'events' as const, value: { sequence, events, dropped } },
    })),
  fc
    .record({ eventsSent: int, eventsDropped: int, queueLength: int, cpuPercent: fc.double(), rssBytes: int })
    .map((stats) => ({
      body: {
        $case: 'heartbeat' as const,
        value: {
          timeMs: Date.now(),
          stats: { ...stats, droppedByReason: {}, outboxBytes: 0 },
          components: [],
        },
      },
    })),
  fc.tuple(fc.nat(), hostileText, fc.double(), fc.double()).map(([sequence, user, score, threshold]) => ({
    body: {
      $case: 'scores' as const,
      value: {
        sequence,
        scores: [
          {
            id: `s-${sequence}`,
            windowStartMs: Date.now() - 60_000,
            windowEndMs: Date.now(),
            user,
            score,
            threshold,
            severity: Severity.SEVERITY_INFO,
            modelSource: 'own',
            baselineSource: 'user',
            reasons: [{ text: user, source: 'rule', feature: '', ruleId: '' }],
            ruleIds: [],
            scoredAtMs: Date.now(),
            partial: false,
            suspects: [],
          },
        ],
      },
    },
  })),
  fc
    .record({
      commandId: hostileText,
      ok: fc.boolean(),
      message: hostileText,
      outcome: fc.integer({ min: -1, max: 9 }) as fc.Arbitrary<CommandOutcome>,
      finishedAtMs: fc.integer(),
      detailsJson: hostileText,
    })
    .map((value) => ({
      body: { $case: 'commandResult' as const, value },
    })),
);

type Mutation = (bytes: Buffer) => Buffer;

const at = (bytes: Buffer, fraction: number) => Math.min(bytes.length, Math.floor(fraction * (bytes.length + 1)));
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Bit flips.
  fc.tuple(fraction, fc.integer({ min: 0, max: 7 })).map(([f, bit]) => (b: Buffer) => {
    if (b.length === 0) return b;
    const out = Buffer.from(b);
    const i = Math.min(b.length - 1, Math.floor(f * b.length));
    out[i] ^= 1 << bit;
    return out;
  }),
  // Truncation.
  fraction.map((f) => (b: Buffer) => b.subarray(0, at(b, f))),
  // Random bytes inserted.
  fc.tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([f, junk]) => (b: Buffer) => {
    const i = at(b, f);
    return Buffer.concat([b.subarray(0, i), Buffer.from(junk), b.subarray(i)]);
  }),
  // The first tag's wire type changed.
  fc.integer({ min: 0, max: 7 }).map((wire) => (b: Buffer) => {
    if (b.length === 0) return b;
    const out = Buffer.from(b);
    out[0] = (out[0] & 0xf8) | wire;
    return out;
  }),
  // A length-delimited field whose declared length lies (shorter, longer, enormous).
  fc
    .tuple(
      fc.constantFrom(1, 2, 3, 4, 5, 6),
      fc.uint8Array({ maxLength: 32 }),
      fc.oneof(fc.nat(64), fc.constantFrom(2 ** 31 - 1, 2 ** 32 - 1, 2 ** 53)),
    )
    .map(
      ([field, payload, declared]) =>
        (b: Buffer) =>
          Buffer.concat([b, lengthDelimited(field, Buffer.from(payload), declared)]),
    ),
  // Huge and overlong varints (more than 10 bytes, or 2^64 - 1).
  fc.tuple(fc.constantFrom(1, 2, 3, 4, 5, 6), fc.integer({ min: 9, max: 14 })).map(
    ([field, length]) =>
      (b: Buffer) =>
        Buffer.concat([b, tag(field, 0), Buffer.alloc(length - 1, 0xff), Buffer.from([0x01])]),
  ),
  // The whole message repeated: protobuf merges repeated messages field by field.
  fc.integer({ min: 2, max: 50 }).map((times) => (b: Buffer) => Buffer.concat(Array<Buffer>(times).fill(b))),
  // Unknown fields, of every wire type.
  fc.tuple(fc.integer({ min: 7, max: 2 ** 29 - 1 }), fc.uint8Array({ maxLength: 16 })).map(
    ([field, payload]) =>
      (b: Buffer) =>
        Buffer.concat([
          b,
          lengthDelimited(field, Buffer.from(payload)),
          tag(field, 0),
          varint(1),
          tag(field, 5),
          Buffer.alloc(4),
        ]),
  ),
  // Nested garbage: an event batch (field 2) or score batch (field 5) whose content is random or itself nested.
  fc
    .tuple(fc.constantFrom(2, 5), fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 20 }))
    .map(([field, junk, depth]) => (b: Buffer) => {
      let inner = Buffer.from(junk);
      for (let i = 0; i < depth; i += 1) inner = lengthDelimited(2, inner);
      return Buffer.concat([b, lengthDelimited(field, inner)]);
    }),
  // An event batch claiming many events, each empty.
  fc.integer({ min: 1, max: 5000 }).map((events) => (b: Buffer) => {
    const batch = Buffer.concat([tag(1, 0), varint(7), ...Array<Buffer>(events).fill(Buffer.from([0x12, 0x00]))]);
    return Buffer.concat([b, lengthDelimited(2, batch)]);
  }),
  // Groups: wire types 3 and 4, which the contract does not use.
  fc.constantFrom(1, 2, 5, 100).map((field) => (b: Buffer) => Buffer.concat([b, tag(field, 3), tag(field, 4)])),
);

/** Each value of `valid`, then 1 to 3 mutations. */
export function mutationsOf(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([bytes, mutations]) => mutations.reduce<Buffer>((b, mutate) => mutate(b), bytes));
}

const encodedAgentMessage = validAgentMessage.map((m) => Buffer.from(AgentMessage.encode(m).finish()));

/** A valid AgentMessage, encoded, then 1 to 3 mutations. */
export const mutatedAgentMessage: fc.Arbitrary<Buffer> = mutationsOf(encodedAgentMessage);

/** Random bytes, mostly short, sometimes long. */
export const randomPayload: fc.Arbitrary<Buffer> = fc
  .oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 256 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 65_536 }) },
  )
  .map((bytes) => Buffer.from(bytes));

/** What a fuzzed Session or call carries: mutated AgentMessages and random bytes, and sometimes a valid one. */
export const fuzzedAgentMessage: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 5, arbitrary: mutatedAgentMessage },
  { weight: 2, arbitrary: randomPayload },
  { weight: 1, arbitrary: encodedAgentMessage },
);
