// Sits between the collectors and the rest of the pipeline, like the scoring sink:
// each event is passed on first (collection and sending never wait for the version
// store), then a file event's clear path is noted by the version watcher (O(1)).
import type { Event } from '@wardwatch/proto';
import type { EventSink } from '../../collectors/collector';
import { ForwardingSink } from '../../collectors/forwarding-sink';
import type { ObservedAction } from './version-watcher';

export interface FileChangeObserver {
  observe(action: ObservedAction, path: string, previousPath?: string): void;
}

const ACTIONS: ReadonlySet<string> = new Set(['create', 'write', 'delete', 'rename']);

export class VersionSink extends ForwardingSink {
  constructor(
    next: EventSink,
    private readonly observer: FileChangeObserver,
  ) {
    super(next);
  }

  emit(event: Event): void {
    this.next.emit(event);
    if (event.detail?.$case !== 'file') return;
    const file = event.detail.value;
    if (ACTIONS.has(file.action)) this.observer.observe(file.action as ObservedAction, file.path, file.previousPath);
  }
}
