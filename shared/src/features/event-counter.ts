// What one event adds to its open window (open-window.ts): counts, the hour's
// rarity, and what is new against the user's history (hosts, programs, patient
// folders, another unit's patients). The history learns the window only when it
// closes (feature-extractor.ts), so "new" means new against the past; here it only
// tracks open sessions and marks known programs and destinations as used again.
import type { FilePortableEvent, PortableEvent } from '../portable/event.schema';
import { FEATURE_INDEX as F } from './feature-definitions';
import type { OpenWindow } from './open-window';
import type { PeerGroups } from './peer-groups';
import { inSyncFolder } from './sync-folders';
import { FAMILIAR_FOLDER_WINDOWS, type UnitFolders } from './unit-folders';
import { MIN_HOUR_HISTORY, type UserHistory } from './user-history';

/** Entropy (bits per byte) from which a write looks encrypted or compressed. */
const HIGH_ENTROPY_BITS = 7.5;
/** Share of past activity below which an hour counts as outside usual hours. */
const OFF_HOURS_PROBABILITY = 0.02;
/**
 * Patient files a window remembers as opened (a hostile agent may report 600 new ones a minute all
 * day); past it a file opened and copied may count as two touches.
 */
const MAX_READ_FILES = 10_000;

export class EventCounter {
  constructor(
    private readonly peers: PeerGroups,
    private readonly unitFolders: UnitFolders,
  ) {}

  /** Adds one event to its window; `hour` is its local hour of day, `absoluteHour` counts hours since the epoch. */
  count(state: OpenWindow, history: UserHistory, event: PortableEvent, hour: number, absoluteHour: number): void {
    const w = state.window;
    const v = w.values;
    w.eventCount += 1;
    w.lastEventAt = event.time;
    // A session's end is no behaviour: an intrusion from 23:30 to 00:15 made the next day's window,
    // which held only its logoff, a positive with nothing in it to detect.
    if (event.label && event.kind !== 'logoff' && event.kind !== 'device_disconnect') state.labels.add(event.label);
    state.hostCounts.set(event.host, (state.hostCounts.get(event.host) ?? 0) + 1);
    if (!history.hosts.has(event.host)) state.newHosts.add(event.host);
    state.activeHours.add(hour);

    const profile = this.peers.hourProfile(history);
    const trusted = profile.total >= MIN_HOUR_HISTORY;
    if (trusted && event.kind !== 'failed_logon') {
      const probability = profile.probability(hour);
      const rarity = -Math.log2(probability);
      if (rarity > v[F.hour_rarity]) v[F.hour_rarity] = rarity;
    }

    switch (event.kind) {
      case 'logon': {
        v[F.logons] += 1;
        if (trusted && profile.probability(hour) < OFF_HOURS_PROBABILITY) {
          v[F.offhours_logons] += 1;
          if (w.offHoursLogonAt === null) w.offHoursLogonAt = event.time;
        }
        const concurrent = history.openSession(event.host, event.time);
        if (concurrent > v[F.max_concurrent_hosts]) v[F.max_concurrent_hosts] = concurrent;
        break;
      }
      case 'logoff':
        history.closeSession(event.host);
        break;
      case 'failed_logon':
        v[F.failed_logons] += 1;
        break;
      case 'device_connect':
        if (event.removable) {
          v[F.removable_connects] += 1;
          state.removableHosts.add(event.host);
        }
        break;
      case 'process_start': {
        v[F.process_starts] += 1;
        const name = baseName(event.executable);
        // A known one used again is kept as recently used (user-history.ts: the least recent are forgotten).
        if (history.processes.has(name)) history.processes.add(name);
        else state.newProcesses.add(name);
        break;
      }
      case 'privilege_use':
        v[F.privilege_uses] += 1;
        break;
      case 'net_connect':
        if (history.destinations.has(event.remoteAddress)) history.destinations.add(event.remoteAddress);
        else state.newDestinations.add(event.remoteAddress);
        break;
      case 'file_read':
      case 'file_create':
      case 'file_write':
      case 'file_delete':
      case 'file_rename':
      case 'file_copy': {
        const phi = event.folderClass === 'phi';
        // A chart opened is a touch of its patient, counted once a window: where reads are audited the
        // agent reports a chart copied out twice over (its open, then the copy), and a copy adds only
        // what a copy adds. Reads are not copies out (phi_reads): staff open dozens a day.
        const reading = phi && (event.kind === 'file_read' || event.kind === 'file_copy');
        const readBefore = reading && state.readFiles.has(event.path);
        if (reading && !readBefore && state.readFiles.size < MAX_READ_FILES) state.readFiles.add(event.path);
        if (!readBefore) this.fileTouched(state, history, event, absoluteHour);
        if (event.kind === 'file_read') break;
        if (
          event.folderClass === 'removable' ||
          (event.kind === 'file_copy' && event.targetFolderClass === 'removable')
        )
          state.removableHosts.add(event.host);
        if (event.kind === 'file_delete') {
          if (phi) v[F.phi_deletes] += 1;
        } else if (event.kind === 'file_copy') {
          if (phi) v[F.phi_reads] += 1;
          if (phi && event.targetFolderClass !== 'removable') {
            v[F.phi_copies_elsewhere] += 1;
            if (inSyncFolder(event.targetPath)) v[F.phi_copies_to_sync] += 1;
            state.copyTargets.add(parentFolder(event.targetPath));
          }
          if (event.targetFolderClass === 'removable') v[F.removable_writes] += 1;
          if (phi && event.targetFolderClass === 'removable') state.removablePhiTypes.add(fileType(event));
        } else {
          if (phi && event.kind === 'file_rename') v[F.phi_renames] += 1;
          else if (phi) v[F.phi_writes] += 1;
          if ((event.entropy ?? 0) >= HIGH_ENTROPY_BITS) v[F.high_entropy_writes] += 1;
        }
        if (event.folderClass === 'removable' && event.kind !== 'file_delete' && event.kind !== 'file_copy') {
          v[F.removable_writes] += 1;
        }
        break;
      }
      default:
        break;
    }
  }

  /** A file event's folder, its patients (whose unit knows them) and the hour's file operations. */
  private fileTouched(state: OpenWindow, history: UserHistory, event: FilePortableEvent, absoluteHour: number): void {
    const v = state.window.values;
    const folder = parentFolder(event.path);
    state.folders.add(folder);
    if (event.folderClass === 'phi') {
      state.phiFolders.add(folder);
      if (event.kind !== 'file_read') state.workedPhiFolders.add(folder);
      const own = history.phiFolders.get(folder) ?? 0;
      if (own < FAMILIAR_FOLDER_WINDOWS) state.newPhiFolders.add(folder);
      // From the user's second window: on the first days every folder is new to the unit.
      if (history.unit && history.windows > 0 && !this.unitFolders.familiar(history.unit, folder, event.user, own)) {
        const files = (state.unitForeignPhiFolders.get(folder) ?? 0) + 1;
        state.unitForeignPhiFolders.set(folder, files);
        v[F.unit_foreign_phi_files] += 1;
        if (files > v[F.unit_foreign_phi_depth]) v[F.unit_foreign_phi_depth] = files;
      }
    }
    state.fileOpsPerHour.set(absoluteHour, (state.fileOpsPerHour.get(absoluteHour) ?? 0) + 1);
  }
}

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1).toLowerCase();
}

/** A file's type: its extension as sent, else the one of its name (lower case); '' without one. */
function fileType(event: { path: string; extension?: string }): string {
  if (event.extension) return event.extension.toLowerCase().replace(/^\./, '');
  const name = baseName(event.path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

function parentFolder(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash <= 0 ? '/' : path.slice(0, slash);
}
