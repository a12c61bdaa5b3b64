import type { FolderClass } from '../../config/config.schema';

/** A folder whose files are reported, with the class its events carry. */
export interface WatchedFolder {
  path: string;
  class: FolderClass;
  /** Only patient data arriving is reported (copies, charts moved in): a profile's synced folder. */
  copiesOnly?: boolean;
  /** Folders at most this many levels below it are watched (a profile's Documents); default all. */
  maxDepth?: number;
}
