// Sits between the collectors and the rest of the pipeline, like the scoring sink:
// each event is passed on first (collection and sending never wait for the version
// store), then a file event's clear path is noted by the version watcher (O(1)).
import type { Event } from '@wardwatch/proto';
import type { EventSink } from '../../collectors/collector';
import type { ObservedAction } from './version-watcher';

export interface FileChangeObserver {
  observe(action: ObservedAction, path: string, previousPath?: string): void;
}

const ACTIONS: ReadonlySet<string> = new Set(['create', 'write', 'delete', 'rename']);

export class VersionSink implements EventSink {
  constructor(
    private readonly next: EventSink,
    private readonly observer: FileChangeObserver,
  ) {}

  emit(event: Event): void {
    this.next.emit(event);
    if (event.detail?.$case !== 'file') return;
    const file = event.detail.value;
    if (ACTIONS.has(file.action)) this.observer.observe(file.action as ObservedAction, file.path, file.previousPath);
  }

  parseError(collector: string, reason: string): void {
    this.next.parseError(collector, reason);
  }

  overLimit(event: Event): void {
    this.next.overLimit?.(event);
  }
}
