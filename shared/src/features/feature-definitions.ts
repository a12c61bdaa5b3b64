// Every behavioural feature WardWatch computes, in one place shared by the agent
// (live and offline scoring) and the manager (display, fleet models). The order
// of FEATURES is the order of values in a FeatureVector: append, never reorder,
// or saved models stop matching (FEATURE_SET_VERSION guards that).
import { RARE_EVENTS } from './rarity';

/**
 * v5: a day window begins at the user's own day boundary (day-boundary.ts), not at midnight.
 * v6: removable_phi_type_rarity (a kind of patient-data file new on this user's removable media).
 * v7: unit_foreign_phi_files_decayed (another unit's patient files over the last days).
 * v8: foreign_folder_return_rarity, copy_folder_return_rarity (back to a place new in the last days).
 * v9: phi_copies_to_sync (patient data copied into a cloud-synced folder).
 * v10: unit_foreign_phi_depth (the most files of one patient no one of the user's unit works with).
 * v11: phi_copies_to_sync_decayed (patient data into a cloud-synced folder over the last days).
 * v12: files read (file_read) touch their patients' folders, each file once a window (not phi_reads).
 * v13: sync_copy_rarity (patient data copied into a cloud-synced folder, rare for this user).
 */
export const FEATURE_SET_VERSION = 13;

export type FeatureScope = 'user' | 'user_host';

export interface FeatureDefinition {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** 'user_host' features compare against this user's history on each workstation. */
  readonly scope: FeatureScope;
  /** How it is computed over one window. */
  readonly computed: string;
  /** Plain-language reason; {value} and {usual} are filled in. */
  readonly reason: string;
}

const define = <const T extends readonly FeatureDefinition[]>(list: T) => list;

export const FEATURES = define([
  {
    name: 'logons',
    description: 'Successful logons',
    unit: 'count',
    scope: 'user',
    computed: 'logon events in the window',
    reason: 'logged on {value} times; usual is {usual}',
  },
  {
    name: 'failed_logons',
    description: 'Failed logons',
    unit: 'count',
    scope: 'user',
    computed: 'failed_logon events in the window',
    reason: '{value} failed logons; usual is {usual}',
  },
  {
    name: 'offhours_logons',
    description: 'Logons in hours this user rarely works',
    unit: 'count',
    scope: 'user',
    computed: "logons in an hour holding < 2 % of the user's past activity (needs history)",
    reason: 'logged on {value} times outside usual hours',
  },
  {
    name: 'hour_rarity',
    description: 'Rarest hour of activity for this user',
    unit: 'bits',
    scope: 'user',
    computed: "max over the window's events of -log2 P(hour | user history), Laplace-smoothed",
    reason: 'active at an hour this user almost never works',
  },
  {
    name: 'new_hosts',
    description: 'Workstations used for the first time',
    unit: 'count',
    scope: 'user_host',
    computed: 'distinct hosts with activity in the window never seen for this user before',
    reason: 'used {value} workstations for the first time; usual is {usual}',
  },
  {
    name: 'distinct_hosts',
    description: 'Distinct workstations used',
    unit: 'count',
    scope: 'user',
    computed: 'distinct hosts with any event of this user',
    reason: 'active on {value} workstations; usual is {usual}',
  },
  {
    name: 'max_concurrent_hosts',
    description: 'Concurrent sessions on distinct workstations',
    unit: 'count',
    scope: 'user_host',
    computed: 'max number of hosts with an open session (logon without logoff, < 12 h old) at any logon',
    reason: 'had sessions open on {value} workstations at once; usual is {usual}',
  },
  {
    name: 'new_processes',
    description: 'Programs never run by this user before',
    unit: 'count',
    scope: 'user',
    computed: 'distinct executables (base name) started in the window not in the user history',
    reason: 'ran {value} programs never used before; usual is {usual}',
  },
  {
    name: 'process_starts',
    description: 'Programs started',
    unit: 'count',
    scope: 'user',
    computed: 'process_start events',
    reason: 'started {value} programs; usual is {usual}',
  },
  {
    name: 'phi_writes',
    description: 'Patient-data files created or written',
    unit: 'count',
    scope: 'user',
    computed: 'file_create + file_write with folderClass phi',
    reason: 'wrote {value} patient-data files; usual is {usual}',
  },
  {
    name: 'phi_deletes',
    description: 'Patient-data files deleted',
    unit: 'count',
    scope: 'user',
    computed: 'file_delete with folderClass phi',
    reason: 'deleted {value} patient-data files; usual is {usual}',
  },
  {
    name: 'phi_renames',
    description: 'Patient-data files renamed',
    unit: 'count',
    scope: 'user',
    computed: 'file_rename with folderClass phi',
    reason: 'renamed {value} patient-data files; usual is {usual}',
  },
  {
    name: 'phi_reads',
    description: 'Patient-data files copied or read out',
    unit: 'count',
    scope: 'user',
    computed: 'file_copy whose source folderClass is phi',
    reason: 'copied {value} patient-data files; usual is {usual}',
  },
  {
    name: 'distinct_folders',
    description: 'Distinct folders touched',
    unit: 'count',
    scope: 'user',
    computed: 'distinct parent folders of file events',
    reason: 'touched {value} folders; usual is {usual}',
  },
  {
    name: 'high_entropy_writes',
    description: 'High-entropy writes (encrypted-looking content)',
    unit: 'count',
    scope: 'user',
    computed: 'file_create/write/rename with entropy >= 7.5 bits/byte',
    reason: 'wrote {value} files with encrypted-looking content; usual is {usual}',
  },
  {
    name: 'removable_connects',
    description: 'Removable media connected',
    unit: 'count',
    scope: 'user_host',
    computed: 'device_connect with removable = true',
    reason: 'connected removable media {value} times; usual is {usual}',
  },
  {
    name: 'removable_writes',
    description: 'Files written to removable media',
    unit: 'count',
    scope: 'user_host',
    computed: 'file events in a removable folder plus file_copy to a removable target',
    reason: 'wrote {value} files to a USB drive; usual is {usual}',
  },
  {
    name: 'new_net_destinations',
    description: 'Network destinations never contacted before',
    unit: 'count',
    scope: 'user',
    computed: 'distinct remote addresses of net_connect not in the user history',
    reason: 'contacted {value} new network destinations; usual is {usual}',
  },
  {
    name: 'privilege_uses',
    description: 'Privilege use (sudo, su, runas)',
    unit: 'count',
    scope: 'user',
    computed: 'privilege_use events',
    reason: 'used elevated privileges {value} times; usual is {usual}',
  },
  {
    name: 'peak_hour_file_ops',
    description: 'File operations in the busiest hour',
    unit: 'count',
    scope: 'user',
    computed: 'max over 1-hour buckets of file events',
    reason: 'made {value} file changes within one hour; usual is {usual}',
  },
  {
    name: 'removable_rarity',
    description: 'Removable media, rare for this user',
    unit: 'bits',
    scope: 'user_host',
    computed:
      'when removable media is used: −log2 P(removable use | user), Beta prior on the peer group rate (the fleet rate while the group is small) (rarity.ts); +1 bit if first on this workstation',
    reason: 'used removable media, which this user rarely or never does',
  },
  {
    name: 'offhours_rarity',
    description: 'Logon outside usual hours, rare for this user',
    unit: 'bits',
    scope: 'user',
    computed:
      'when a logon is outside usual hours: −log2 P(such a window | user), Beta prior on the peer group rate (the fleet rate while the group is small)',
    reason: 'logged on outside usual hours, which this user rarely or never does',
  },
  {
    name: 'new_host_rarity',
    description: 'First logon to a workstation, rare for this user',
    unit: 'bits',
    scope: 'user_host',
    computed:
      'when a workstation is new for the user: −log2 P(new workstation | user), Beta prior on the peer group rate (the fleet rate while the group is small)',
    reason: 'used a workstation for the first time, which this user rarely does',
  },
  {
    name: 'new_program_rarity',
    description: 'A program new for this user, rare for this user',
    unit: 'bits',
    scope: 'user',
    computed:
      'when a program is new for the user: −log2 P(new program | user), Beta prior on the peer group rate (the fleet rate while the group is small)',
    reason: 'ran a program new for this user, which this user rarely does',
  },
  {
    name: 'new_phi_folder_rarity',
    description: 'Patient-data folders not yet familiar, rare for this user',
    unit: 'bits',
    scope: 'user',
    computed:
      'when a patient-data folder was touched in fewer than 3 earlier windows: −log2 P(such a window | user), Beta prior on the peer group rate (the fleet rate while the group is small)',
    reason: "opened patient-data folders this user never touched before (another unit's patients?)",
  },
  {
    name: 'removable_writes_decayed',
    description: 'Files written to removable media over the last days',
    unit: 'count',
    scope: 'user',
    computed: 'removable_writes summed over windows with a 2-day half-life',
    reason: 'wrote {value} files to removable media over the last days; usual is {usual}',
  },
  {
    name: 'phi_reads_decayed',
    description: 'Patient-data files copied out over the last days',
    unit: 'count',
    scope: 'user',
    computed: 'phi_reads summed over windows with a 2-day half-life',
    reason: 'copied {value} patient-data files over the last days; usual is {usual}',
  },
  {
    name: 'rarity_decayed',
    description: 'First-time evidence over the last days',
    unit: 'bits',
    scope: 'user',
    computed: 'the rarity features summed over windows with a 2-day half-life',
    reason: 'did several things new for this user over the last days',
  },
  {
    name: 'unit_foreign_phi_rarity',
    description: "Patient-data folders no one of the user's unit uses, rare for this user",
    unit: 'bits',
    scope: 'user',
    computed:
      "when a patient-data folder was touched in fewer than 3 earlier windows by others of the user's unit (the user's own not counted), unless no other unit works with it and the folder holding it is the unit's by the same rule (a new admission; unit-folders.ts; from the user's second window): −log2 P(such a window | user), Beta prior on the peer group rate (the fleet rate while the group is small)",
    reason: "opened patient-data folders no one of this user's unit works with",
  },
  {
    name: 'unit_foreign_phi_files',
    description: "Patient-data files in folders no one of the user's unit uses",
    unit: 'count',
    scope: 'user',
    computed: 'file events on patient-data folders counted in unit_foreign_phi_rarity',
    reason: "handled {value} patient-data files no one of this user's unit works with; usual is {usual}",
  },
  {
    name: 'phi_copies_elsewhere',
    description: 'Patient-data files copied elsewhere than to removable media',
    unit: 'count',
    scope: 'user',
    computed:
      'file_copy whose source folderClass is phi and whose target is not removable (a profile, sync or share folder)',
    reason: 'copied {value} patient-data files to a local or network folder; usual is {usual}',
  },
  {
    name: 'phi_copies_elsewhere_decayed',
    description: 'Patient-data files copied elsewhere than to removable media over the last days',
    unit: 'count',
    scope: 'user',
    computed: 'phi_copies_elsewhere summed over windows with a 2-day half-life',
    reason: 'copied {value} patient-data files to local or network folders over the last days; usual is {usual}',
  },
  {
    name: 'removable_phi_type_rarity',
    description: 'A kind of patient-data file new on removable media for a user who uses it, rare for this user',
    unit: 'bits',
    scope: 'user',
    computed:
      'when a user who used removable media in an earlier window copies patient-data files of a type (extension) they never put on removable media: −log2 P(such a window | user), Beta prior on the peer group rate (the fleet rate while the group is small)',
    reason: 'put a kind of patient-data file on removable media that this user never did before',
  },
  {
    name: 'unit_foreign_phi_files_decayed',
    description: "Patient-data files no one of the user's unit uses, over the last days",
    unit: 'count',
    scope: 'user',
    computed: 'unit_foreign_phi_files summed over windows with a 2-day half-life',
    reason:
      "handled {value} patient-data files no one of this user's unit works with over the last days; usual is {usual}",
  },
  {
    name: 'foreign_folder_return_rarity',
    description: "Back to another unit's patient folder first opened in the last days, rare for this user",
    unit: 'bits',
    scope: 'user',
    computed:
      "when the window touches a patient-data folder no one of the user's unit works with (unit_foreign_phi_rarity's) that the user first touched in an earlier window of the last 7 days: −log2 P(such a window | user), Beta prior on the peer group rate (the fleet rate while the group is small)",
    reason: "reopened another unit's patient folder first opened in the last days",
  },
  {
    name: 'copy_folder_return_rarity',
    description: 'More patient data copied into a folder first used for it in the last days, rare for this user',
    unit: 'bits',
    scope: 'user',
    computed:
      'when patient-data files are copied (not to removable media) into a folder the user first copied patient data into in an earlier window of the last 7 days, from their second window: −log2 P(such a window | user), Beta prior on the peer group rate (the fleet rate while the group is small)',
    reason: 'copied patient data again into a folder first used for that in the last days',
  },
  {
    name: 'phi_copies_to_sync',
    description: 'Patient-data files copied into a cloud-synced folder',
    unit: 'count',
    scope: 'user',
    computed:
      "file_copy whose source folderClass is phi and whose target lies in a cloud-storage client's folder (OneDrive, Dropbox, Google Drive, iCloud Drive, Box, Nextcloud: sync-folders.ts)",
    reason: 'copied {value} patient-data files into a cloud-synced folder; usual is {usual}',
  },
  {
    name: 'unit_foreign_phi_depth',
    description: "The most patient-data files in one folder no one of the user's unit uses",
    unit: 'count',
    scope: 'user',
    computed:
      "the largest count of file events on any one patient-data folder counted in unit_foreign_phi_files (one patient's charts read deeply, not a few of many)",
    reason: "handled {value} patient-data files of one patient no one of this user's unit works with; usual is {usual}",
  },
  {
    name: 'phi_copies_to_sync_decayed',
    description: 'Patient-data files copied into a cloud-synced folder over the last days',
    unit: 'count',
    scope: 'user',
    computed: 'phi_copies_to_sync summed over windows with a 2-day half-life',
    reason: 'copied {value} patient-data files into a cloud-synced folder over the last days; usual is {usual}',
  },
  {
    name: 'sync_copy_rarity',
    description: 'Patient data copied into a cloud-synced folder, rare for this user',
    unit: 'bits',
    scope: 'user',
    computed:
      "when phi_copies_to_sync > 0, from the user's second window: −log2 P(such a window | user), Beta prior on the peer group rate (the fleet rate while the group is small)",
    reason: 'copied patient data into a cloud-synced folder, which this user seldom or never does',
  },
] as const);

export type FeatureName = (typeof FEATURES)[number]['name'];
/**
 * Features that are already surprise in bits (rarity.ts): evidence as they are, not deviations from a
 * baseline. One per first-time event, named after it (an event with no feature does not compile).
 */
export const RARITY_FEATURES = RARE_EVENTS.map((event) => `${event}_rarity` as const) satisfies readonly FeatureName[];
/**
 * The multi-day sums, each with the day's feature it adds up over windows with a 2-day half-life
 * ('rarity': the day's rarity bits). The extractor keeps them (rarity.ts, DecayedSums) and the risk
 * model counts them as accumulated evidence: one list for both.
 */
export const DECAYED_SUMS: readonly { sum: FeatureName; of: FeatureName | 'rarity' }[] = [
  { sum: 'removable_writes_decayed', of: 'removable_writes' },
  { sum: 'phi_reads_decayed', of: 'phi_reads' },
  { sum: 'rarity_decayed', of: 'rarity' },
  { sum: 'phi_copies_elsewhere_decayed', of: 'phi_copies_elsewhere' },
  { sum: 'unit_foreign_phi_files_decayed', of: 'unit_foreign_phi_files' },
  { sum: 'phi_copies_to_sync_decayed', of: 'phi_copies_to_sync' },
];
export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((feature) => feature.name);
export const FEATURE_COUNT = FEATURES.length;

/** Index of each feature in a vector, e.g. FEATURE_INDEX.logons. */
export const FEATURE_INDEX = Object.fromEntries(FEATURES.map((feature, index) => [feature.name, index])) as Record<
  FeatureName,
  number
>;

export function featureDefinition(name: FeatureName): FeatureDefinition {
  return FEATURES[FEATURE_INDEX[name]];
}

/** Fills a feature's reason template, e.g. "wrote 214 files to a USB drive; usual is 0". */
export function featureReason(name: FeatureName, value: number, usual: number): string {
  return featureDefinition(name).reason.replace('{value}', formatCount(value)).replace('{usual}', formatCount(usual));
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
