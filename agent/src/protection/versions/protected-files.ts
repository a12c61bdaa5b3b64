// The protected folders as the store and a restore see them: stat, read, put back,
// remove, list. Never follows a symbolic link (a link planted in a protected folder
// must not make a restore write or delete outside it).
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';

export interface FileFacts {
  size: number;
  mtimeMs: number;
  mode: number;
  /** 0 where the file system does not tell. */
  birthtimeMs: number;
}

export interface ProtectedFiles {
  /** null when missing or not a regular file. */
  stat(path: string): Promise<FileFacts | null>;
  /** null when missing, not a regular file, or larger than `maxBytes`. */
  read(path: string, maxBytes: number): Promise<Buffer | null>;
  /**
   * Writes beside the file then renames over it: the file is whole before and after.
   * Refuses (throws) when the file's folder does not resolve inside `root`: a folder
   * replaced by a link must not carry a restore elsewhere.
   */
  replace(path: string, content: Buffer, mode: number, root: string): Promise<void>;
  /** Removes the file; refuses like `replace` outside `root`. */
  remove(path: string, root: string): Promise<void>;
  /** Regular files under `folder`, recursively, at most `max` of them. */
  list(folder: string, max: number): Promise<string[]>;
}

/** A new file only: never through a link someone left at the temporary name. */
const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export class NodeProtectedFiles implements ProtectedFiles {
  async stat(path: string): Promise<FileFacts | null> {
    try {
      const s = await lstat(path);
      if (!s.isFile()) return null;
      return { size: s.size, mtimeMs: s.mtimeMs, mode: s.mode & 0o7777, birthtimeMs: s.birthtimeMs };
    } catch {
      return null;
    }
  }

  async read(path: string, maxBytes: number): Promise<Buffer | null> {
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      return null;
    }
    try {
      const s = await handle.stat();
      if (!s.isFile() || s.size > maxBytes) return null;
      const content = await handle.readFile();
      return content.length > maxBytes ? null : content;
    } catch {
      return null;
    } finally {
      await handle.close();
    }
  }

  async replace(path: string, content: Buffer, mode: number, root: string): Promise<void> {
    const temp = `${path}.wardwatch-restore.tmp`;
    await assertInside(dirname(path), root);
    await mkdir(dirname(path), { recursive: true }); // a whole sub-folder may have been deleted
    await assertInside(dirname(path), root);
    await rm(temp, { force: true });
    const handle = await open(temp, WRITE_NEW, 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, mode & 0o777);
    await rename(temp, path);
  }

  async remove(path: string, root: string): Promise<void> {
    await assertInside(dirname(path), root);
    await rm(path, { force: true });
  }

  async list(folder: string, max: number): Promise<string[]> {
    const found: string[] = [];
    const pending = [folder];
    while (pending.length > 0 && found.length < max) {
      const dir = pending.pop()!;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (found.length >= max) break;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) pending.push(path);
        else if (entry.isFile()) found.push(path);
      }
    }
    return found;
  }
}

/** The deepest existing folder of `dir`, resolved, must be `root` (resolved) or under it. */
async function assertInside(dir: string, root: string): Promise<void> {
  const realRoot = await realpath(root);
  let existing = dir;
  for (;;) {
    try {
      await lstat(existing);
      break;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
  }
  const real = await realpath(existing);
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep))
    throw Object.assign(new Error('outside the protected folder'), { code: 'EOUTSIDE' });
}
