// Whose patients a folder holds, learned from who works with it, so no
// folder-to-unit map is needed (issue #10, item 2). Only others' work makes a
// folder the unit's (unless no one else works in the unit): a snooper opening
// another unit's chart on three days would otherwise have taught their unit
// that the chart is its own.
import { MAX_REMEMBERED_ITEMS } from './user-history';

/**
 * A patient-data folder becomes familiar, to a user (new_phi_folder_rarity) or to their unit, once
 * worked with in this many windows: someone reading one folder of another unit's charts on three
 * days is as odd on the third day as on the first.
 */
export const FAMILIAR_FOLDER_WINDOWS = 3;
/** Units whose patient-data folders are remembered (each up to MAX_REMEMBERED_ITEMS folders): bounds the memory. */
export const MAX_UNITS = 1_000;

interface FolderUse {
  windows: number;
  firstUser: string;
  /** Someone besides `firstUser` worked with it too. */
  shared: boolean;
}

interface Unit {
  /** Members seen, up to two: enough to tell a one-person unit. */
  members: Set<string>;
  folders: Map<string, FolderUse>;
}

export class UnitFolders {
  private readonly units = new Map<string, Unit>();

  /** True when the unit worked with the folder in FAMILIAR_FOLDER_WINDOWS windows, not all of them this user's. */
  familiar(unit: string, folder: string, user: string): boolean {
    const known = this.units.get(unit);
    const use = known?.folders.get(folder);
    if (!known || !use || use.windows < FAMILIAR_FOLDER_WINDOWS) return false;
    return use.shared || use.firstUser !== user || known.members.size < 2;
  }

  /** Counts one window of `user` for each folder; beyond the bounds (hostile input) new units and folders are not kept. */
  add(unit: string, user: string, folders: Iterable<string>): void {
    let known = this.units.get(unit);
    if (!known) {
      if (this.units.size >= MAX_UNITS) return;
      known = { members: new Set(), folders: new Map() };
      this.units.set(unit, known);
    }
    if (known.members.size < 2) known.members.add(user);
    for (const folder of folders) {
      const use = known.folders.get(folder);
      if (use) {
        use.windows += 1;
        use.shared ||= use.firstUser !== user;
      } else if (known.folders.size < MAX_REMEMBERED_ITEMS) {
        known.folders.set(folder, { windows: 1, firstUser: user, shared: false });
      }
    }
  }
}
