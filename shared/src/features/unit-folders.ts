// Whose patients a folder holds, learned from who works with it, so no
// folder-to-unit map is needed (issue #10, item 2). Only others' work makes a
// folder the unit's (unless no one else works in the unit): a snooper opening
// another unit's chart on three days would otherwise have taught their unit
// that the chart is its own. A folder no unit has made its own yet (a patient
// just admitted) belongs where it lies: to the unit that works in the folder
// holding it, unless it is already another unit's.
import { RecentMap } from '../collections/recent-map';
import { MAX_REMEMBERED_ITEMS } from './user-history';

/**
 * A patient-data folder becomes familiar, to a user (new_phi_folder_rarity) or to their unit, once
 * worked with in this many windows: someone reading one folder of another unit's charts on three
 * days is as odd on the third day as on the first.
 */
export const FAMILIAR_FOLDER_WINDOWS = 3;
/**
 * Units whose patient-data folders are remembered: bounds the memory. Each unit's folders, and the
 * folders' owners below, are bounded too, the least recently used forgotten first: a ward admits
 * patients every day for years, and a discharged patient's folder is what it can forget.
 */
export const MAX_UNITS = 1_000;
/** Folders whose units are remembered (the one it is familiar to, or several). */
export const MAX_OWNED_FOLDERS = 50_000;

interface FolderUse {
  windows: number;
  firstUser: string;
  /** Someone besides `firstUser` worked with it too. */
  shared: boolean;
}

interface Unit {
  /** Members seen, up to two: enough to tell a one-person unit. */
  members: Set<string>;
  folders: RecentMap<string, FolderUse>;
  /** The folders that hold them (`D:\PHI\icu`): where the unit works. */
  parents: RecentMap<string, FolderUse>;
}

export class UnitFolders {
  private readonly units = new Map<string, Unit>();
  /** Per folder, the one unit it is familiar to; null once it is to several. */
  private readonly owners = new RecentMap<string, string | null>(MAX_OWNED_FOLDERS);

  /**
   * True when the unit worked with the folder in FAMILIAR_FOLDER_WINDOWS windows besides the
   * user's own (`ownWindows`, the user's windows with it); or when the folder is familiar to no
   * other unit and lies where the unit works (a patient just admitted to the ward: a folder no one
   * works with yet is the unit's, not foreign; a visitor from another ward, a consult on the
   * weekend, does not make it theirs). A snooper's own returns never make a chart their unit's:
   * a colleague's one glance and two of their own visits were three windows.
   */
  familiar(unit: string, folder: string, user: string, ownWindows = 0): boolean {
    const known = this.units.get(unit);
    if (!known) return false;
    if (familiarTo(known, known.folders.get(folder), user, ownWindows)) return true;
    const owner = this.owners.get(folder);
    return (owner === undefined || owner === unit) && familiarTo(known, known.parents.get(parentOf(folder)), user, 0);
  }

  /** Counts one window of `user` for each folder; beyond MAX_UNITS (hostile input) new units are not kept. */
  add(unit: string, user: string, folders: Iterable<string>): void {
    let known = this.units.get(unit);
    if (!known) {
      if (this.units.size >= MAX_UNITS) return;
      known = {
        members: new Set(),
        folders: new RecentMap(MAX_REMEMBERED_ITEMS),
        parents: new RecentMap(MAX_REMEMBERED_ITEMS),
      };
      this.units.set(unit, known);
    }
    if (known.members.size < 2) known.members.add(user);
    const parents = new Set<string>();
    for (const folder of folders) {
      const use = count(known.folders, folder, user);
      parents.add(parentOf(folder));
      if (use.windows < FAMILIAR_FOLDER_WINDOWS || !(use.shared || known.members.size < 2)) continue;
      const owner = this.owners.get(folder);
      if (owner === undefined) this.owners.set(folder, unit);
      else if (owner !== unit) this.owners.set(folder, null);
    }
    for (const parent of parents) count(known.parents, parent, user);
  }
}

/** Worked with in FAMILIAR_FOLDER_WINDOWS windows, `own` of them not counted, not all of them this user's (but in a one-person unit). */
function familiarTo(unit: Unit, use: FolderUse | undefined, user: string, own: number): boolean {
  if (!use) return false;
  if (unit.members.size < 2) return use.windows >= FAMILIAR_FOLDER_WINDOWS;
  return use.windows - own >= FAMILIAR_FOLDER_WINDOWS && (use.shared || use.firstUser !== user);
}

/** Counts one window of `user` with the folder: its use. */
function count(uses: RecentMap<string, FolderUse>, folder: string, user: string): FolderUse {
  let use = uses.get(folder);
  if (use) {
    use.windows += 1;
    use.shared ||= use.firstUser !== user;
  } else {
    use = { windows: 1, firstUser: user, shared: false };
    uses.set(folder, use);
  }
  return use;
}

/** The folder holding this one ('' at the top). */
function parentOf(folder: string): string {
  return folder.slice(0, Math.max(0, folder.lastIndexOf('\\'), folder.lastIndexOf('/')));
}
