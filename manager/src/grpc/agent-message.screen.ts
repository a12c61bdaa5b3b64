// Looks at an agent's message on the wire before it is decoded. Decoding a batch
// makes one object per event, and 4 million empty events fit in 8 MB: the counts
// and sizes are read here from the protobuf framing alone (a walk over field tags,
// no allocation per event), and a batch over a cap is never decoded. A batch within
// the caps is decoded only after the agent's rate and quota admitted its event count
// (agent-session.grpc.ts), so a flood over the rate costs no decoding either.
//
// Only the framing of AgentMessage.events (EventBatch: 1 sequence, 2 events,
// 3 dropped), AgentMessage.scores (ScoreBatch: 1 sequence, 2 scores) and
// AgentMessage.heartbeat (Heartbeat: 2 stats with 6 dropped_by_reason, 3 components)
// is read; anything else is left to the generated decoder.
import { AgentMessage } from '@wardwatch/proto';
import { MAX_COMPONENTS, MAX_DROP_REASONS } from '../agents/agent-health.schema';

export interface BatchCaps {
  maxEventsPerBatch: number;
  maxBatchBytes: number;
  maxScoresPerBatch: number;
}

/** Entries of the `dropped` map an honest agent sends (one per budget reason). */
export const MAX_DROPPED_REASONS = 32;

export type CapExceeded =
  'batch_events' | 'batch_bytes' | 'batch_scores' | 'batch_dropped_reasons' | 'heartbeat_invalid' | 'malformed';

export interface WireRefusal {
  cap: CapExceeded;
  kind: 'events' | 'scores' | 'heartbeat' | 'message';
  sequence: number;
  message: string;
}

/** Within the caps: how many events it carries (0 for any other message) and its bytes, not yet decoded. */
export type ScreenedMessage =
  { ok: true; events: number; sequence: number; bytes: Uint8Array } | { ok: false; refusal: WireRefusal };

/** The Session's request deserializer: the caps, read from the framing; decoding waits (decodeScreened). */
export function screenAgentMessage(buf: Uint8Array, caps: BatchCaps): ScreenedMessage {
  const checked = checkCaps(buf, caps);
  return 'cap' in checked ? { ok: false, refusal: checked } : { ok: true, ...checked, bytes: buf };
}

/** The generated decoder on a screened message; undefined when the bytes are not an AgentMessage. */
export function decodeScreened(bytes: Uint8Array): AgentMessage | undefined {
  try {
    return AgentMessage.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The number of events the message carries and its batch sequence, or why it is refused. */
function checkCaps(buf: Uint8Array, caps: BatchCaps): { events: number; sequence: number } | WireRefusal {
  const top = new WireReader(buf, 0, buf.length);
  let events = 0;
  let sequence = 0;
  while (!top.done()) {
    const tag = top.tag();
    if (tag === undefined) return malformed();
    if ((tag.field === 2 || tag.field === 5) && tag.wire === 2) {
      const [start, end] = top.lengthDelimited() ?? [-1, -1];
      if (start < 0) return malformed();
      const checked = tag.field === 2 ? checkEvents(buf, start, end, caps) : checkScores(buf, start, end, caps);
      if ('cap' in checked) return checked;
      events += checked.events;
      sequence = checked.sequence;
    } else if (tag.field === 3 && tag.wire === 2) {
      const [start, end] = top.lengthDelimited() ?? [-1, -1];
      if (start < 0) return malformed();
      const refused = checkHeartbeat(buf, start, end);
      if (refused) return refused;
    } else if (!top.skip(tag.wire)) return malformed();
  }
  return { events, sequence };
}

type Checked = { events: number; sequence: number } | WireRefusal;

function checkEvents(buf: Uint8Array, start: number, end: number, caps: BatchCaps): Checked {
  const counted = countRepeated(buf, start, end, [2, 3]);
  if (!counted) return malformed();
  const [events, dropped] = counted.counts;
  const refuse = (cap: CapExceeded, message: string): WireRefusal => ({
    cap,
    kind: 'events',
    sequence: counted.sequence,
    message: `event batch ${counted.sequence} ${message}`,
  });
  if (end - start > caps.maxBatchBytes)
    return refuse('batch_bytes', `is ${end - start} bytes; at most ${caps.maxBatchBytes} bytes per batch`);
  if (events > caps.maxEventsPerBatch)
    return refuse('batch_events', `holds ${events} events; at most ${caps.maxEventsPerBatch} per batch`);
  if (dropped > MAX_DROPPED_REASONS)
    return refuse('batch_dropped_reasons', `names ${dropped} drop reasons; at most ${MAX_DROPPED_REASONS}`);
  return { events, sequence: counted.sequence };
}

function checkScores(buf: Uint8Array, start: number, end: number, caps: BatchCaps): Checked {
  const counted = countRepeated(buf, start, end, [2]);
  if (!counted) return malformed();
  const refuse = (cap: CapExceeded, message: string): WireRefusal => ({
    cap,
    kind: 'scores',
    sequence: counted.sequence,
    message: `score batch ${counted.sequence} ${message}`,
  });
  if (end - start > caps.maxBatchBytes)
    return refuse('batch_bytes', `is ${end - start} bytes; at most ${caps.maxBatchBytes} bytes per batch`);
  if (counted.counts[0] > caps.maxScoresPerBatch)
    return refuse('batch_scores', `holds ${counted.counts[0]} scores; at most ${caps.maxScoresPerBatch} per batch`);
  return { events: 0, sequence: counted.sequence };
}

/**
 * A heartbeat naming more components or drop reasons than the manager keeps is refused
 * before decoding: an honest agent never sends more (agent/src/status/).
 */
function checkHeartbeat(buf: Uint8Array, start: number, end: number): WireRefusal | undefined {
  const reader = new WireReader(buf, start, end);
  let components = 0;
  let dropReasons = 0;
  while (!reader.done()) {
    const tag = reader.tag();
    if (tag === undefined) return malformed();
    if (tag.field === 2 && tag.wire === 2) {
      const [statsStart, statsEnd] = reader.lengthDelimited() ?? [-1, -1];
      if (statsStart < 0) return malformed();
      const counted = countRepeated(buf, statsStart, statsEnd, [6]);
      if (!counted) return malformed();
      dropReasons += counted.counts[0];
      continue;
    }
    if (tag.field === 3 && tag.wire === 2) components += 1;
    if (!reader.skip(tag.wire)) return malformed();
  }
  const refuse = (message: string): WireRefusal => ({
    cap: 'heartbeat_invalid',
    kind: 'heartbeat',
    sequence: 0,
    message,
  });
  if (components > MAX_COMPONENTS) return refuse(`heartbeat names ${components} components; at most ${MAX_COMPONENTS}`);
  if (dropReasons > MAX_DROP_REASONS)
    return refuse(`heartbeat names ${dropReasons} drop reasons; at most ${MAX_DROP_REASONS}`);
  return undefined;
}

/** Counts the occurrences of the given length-delimited fields and reads field 1 (sequence). */
function countRepeated(
  buf: Uint8Array,
  start: number,
  end: number,
  fields: number[],
): { sequence: number; counts: number[] } | undefined {
  const reader = new WireReader(buf, start, end);
  const counts = fields.map(() => 0);
  let sequence = 0;
  while (!reader.done()) {
    const tag = reader.tag();
    if (tag === undefined) return undefined;
    if (tag.field === 1 && tag.wire === 0) {
      const value = reader.varint();
      if (value === undefined) return undefined;
      sequence = value;
      continue;
    }
    const index = fields.indexOf(tag.field);
    if (index >= 0 && tag.wire === 2) counts[index] += 1;
    if (!reader.skip(tag.wire)) return undefined;
  }
  return { sequence, counts };
}

const malformed = (): WireRefusal => ({
  cap: 'malformed',
  kind: 'message',
  sequence: 0,
  message: 'the message is not valid protobuf',
});

/** Just enough of the protobuf wire format to walk tags and skip values. */
class WireReader {
  constructor(
    private readonly buf: Uint8Array,
    private pos: number,
    private readonly end: number,
  ) {}

  done(): boolean {
    return this.pos >= this.end;
  }

  tag(): { field: number; wire: number } | undefined {
    const value = this.varint();
    if (value === undefined || value === 0) return undefined;
    return { field: Math.floor(value / 8), wire: value % 8 };
  }

  /** A varint as a number (exact up to 2^53; larger sequences only lose precision in messages). */
  varint(): number | undefined {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      if (this.pos >= this.end) return undefined;
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    return undefined;
  }

  lengthDelimited(): [number, number] | undefined {
    const length = this.varint();
    if (length === undefined || this.pos + length > this.end) return undefined;
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  skip(wire: number): boolean {
    switch (wire) {
      case 0:
        return this.varint() !== undefined;
      case 1:
        return this.advance(8);
      case 2:
        return this.lengthDelimited() !== undefined;
      case 5:
        return this.advance(4);
      default:
        return false; // groups (3, 4) are not used by our contract
    }
  }

  private advance(bytes: number): boolean {
    if (this.pos + bytes > this.end) return false;
    this.pos += bytes;
    return true;
  }
}
