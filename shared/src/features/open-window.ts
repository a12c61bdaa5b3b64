// A feature window as it fills: the vector the scorer reads (FeatureWindow) and,
// beside it, the sets and maps its counted features come from (OpenWindow), kept
// until the window closes and is folded into its user's history.
import { FEATURE_COUNT, FEATURE_INDEX as F } from './feature-definitions';
import type { HourRange } from './user-history';

export interface FeatureWindow {
  user: string;
  /** The workstation with most of the user's events in the window. */
  host: string;
  hosts: string[];
  start: number;
  end: number;
  values: Float64Array;
  /** Active windows of this user before this one (0 = first seen). */
  historyWindows: number;
  role: string | undefined;
  unit: string | undefined;
  /** Distinct ground-truth labels of the window's events (simulated data). */
  labels: string[];
  eventCount: number;
  firstEventAt: number;
  lastEventAt: number;
  /** The user's usual hours before this window, when known. */
  usualHours: HourRange | null;
  /** First logon outside usual hours, for the reason text. */
  offHoursLogonAt: number | null;
  /** Site time zone used for hours of day (minutes east of UTC). */
  utcOffsetMinutes: number;
}

export interface OpenWindow {
  window: FeatureWindow;
  hostCounts: Map<string, number>;
  newHosts: Set<string>;
  newProcesses: Set<string>;
  newDestinations: Set<string>;
  newPhiFolders: Set<string>;
  /** Patient-data folders the user's unit hardly knows (another unit's patients), with their files. */
  unitForeignPhiFolders: Map<string, number>;
  phiFolders: Set<string>;
  /** Those the user did more in than open a chart: only that makes a patient the unit's. */
  workedPhiFolders: Set<string>;
  removableHosts: Set<string>;
  /** Types of patient-data files copied to removable media in the window. */
  removablePhiTypes: Set<string>;
  /** Folders (not removable media) patient data was copied into. */
  copyTargets: Set<string>;
  /** Patient files opened or copied from in the window: each touches its patient once, however often. */
  readFiles: Set<string>;
  folders: Set<string>;
  activeHours: Set<number>;
  fileOpsPerHour: Map<number, number>;
  labels: Set<string>;
}

/** An empty window of a user from `start` to `end`, its first event at `firstEventAt`. */
export function openWindow(
  fields: Pick<
    FeatureWindow,
    'user' | 'host' | 'start' | 'end' | 'historyWindows' | 'role' | 'unit' | 'usualHours' | 'utcOffsetMinutes'
  > & { firstEventAt: number },
): OpenWindow {
  return {
    window: {
      ...fields,
      hosts: [],
      values: new Float64Array(FEATURE_COUNT),
      labels: [],
      eventCount: 0,
      lastEventAt: fields.firstEventAt,
      offHoursLogonAt: null,
    },
    hostCounts: new Map(),
    newHosts: new Set(),
    newProcesses: new Set(),
    newDestinations: new Set(),
    newPhiFolders: new Set(),
    unitForeignPhiFolders: new Map(),
    phiFolders: new Set(),
    workedPhiFolders: new Set(),
    removableHosts: new Set(),
    removablePhiTypes: new Set(),
    copyTargets: new Set(),
    readFiles: new Set(),
    folders: new Set(),
    activeHours: new Set(),
    fileOpsPerHour: new Map(),
    labels: new Set(),
  };
}

/** The features a window counts in sets and maps as it goes, written into its values. */
export function fillCountedFeatures(state: OpenWindow, values: Float64Array): void {
  values[F.new_hosts] = state.newHosts.size;
  values[F.distinct_hosts] = state.hostCounts.size;
  values[F.new_processes] = state.newProcesses.size;
  values[F.new_net_destinations] = state.newDestinations.size;
  values[F.distinct_folders] = state.folders.size;
  let peak = 0;
  for (const count of state.fileOpsPerHour.values()) if (count > peak) peak = count;
  values[F.peak_hour_file_ops] = peak;
}
