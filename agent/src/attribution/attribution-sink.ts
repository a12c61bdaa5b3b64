// Sits in front of everything else a collector's event reaches (scoring, pseudonymisation):
// events that name nobody get the user of the active session on this workstation, in
// clear, so scoring ties USB evidence to a person and the pipeline pseudonymises that user
// like any other. Which events:
// - device events (connect, mount, …): the OS does not say who plugged the device in;
// - file events in a `removable` folder: the owner of a file on a stick is whatever its
//   file system or mount says (root for a system mount, a uid from another machine), not who
//   copied; the file's owner stays in its own field.
// Nobody local (or sessions unknown): the event goes on unchanged.
import type { Event } from '@wardwatch/proto';
import type { EventSink } from '../collectors/collector';
import { ForwardingSink } from '../collectors/forwarding-sink';
import type { SessionUserSource } from './active-session-user';

export class AttributionSink extends ForwardingSink {
  /** Events given the active session's user. */
  attributed = 0;

  constructor(
    next: EventSink,
    private readonly users: SessionUserSource,
  ) {
    super(next);
  }

  emit(event: Event): void {
    if (!attributable(event)) return this.next.emit(event);
    const user = this.users.current();
    if (user === '') return this.next.emit(event);
    this.attributed += 1;
    this.next.emit({ ...event, user });
  }
}

/** Whether an event is one whose user is the person at the workstation. */
export function attributable(event: Event): boolean {
  const detail = event.detail;
  if (detail?.$case === 'device') return event.user === '';
  return detail?.$case === 'file' && detail.value.folderClass === 'removable';
}
