// A collector is one OS event source plus the normaliser that turns what it
// sees into `Event`s of the declared schema (the generated proto type).
// Adding a source is one folder under collectors/ and one line in the registry.
//
// Collectors emit clear values (user names, full paths, addresses); the pipeline
// pseudonymises them before anything is queued for the manager.
import type { Event } from '@wardwatch/proto';

export interface EventSink {
  emit(event: Event): void;
  /** A line or record the collector could not understand: counted, never fatal. */
  parseError(collector: string, reason: string): void;
  /**
   * An event the collector made and holds back at its own bound (reads per minute): counted as a
   * drop (`over_limit.<class>.<category>`) that the manager sees, never sent.
   */
  overLimit?(event: Event): void;
}

export interface Collector {
  readonly name: string;
  start(sink: EventSink): Promise<void>;
  stop(): Promise<void>;
}
