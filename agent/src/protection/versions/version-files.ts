// The store's own folder on disk: sealed blobs named by content id, and the sealed
// index. The folder is 0700 and every file 0600; each write goes to a temporary
// name first and is renamed into place, so a reader never sees half a blob.
import { mkdirSync, chmodSync } from 'node:fs';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface VersionFiles {
  writeBlob(id: string, sealed: Buffer): Promise<void>;
  /** null when the blob is gone. */
  readBlob(id: string): Promise<Buffer | null>;
  removeBlob(id: string): Promise<void>;
  listBlobs(): Promise<string[]>;
  /** Replaces the index; fsynced, since it names what may be restored. */
  writeIndex(sealed: Buffer): Promise<void>;
  readIndex(): Promise<Buffer | null>;
}

const BLOB_NAME = /^[0-9a-f]{64}$/;
const INDEX_FILE = 'index.sealed';

export class DiskVersionFiles implements VersionFiles {
  private readonly blobs: string;

  constructor(private readonly folder: string) {
    this.blobs = join(folder, 'blobs');
    mkdirSync(this.blobs, { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o700);
    chmodSync(this.blobs, 0o700);
  }

  async writeBlob(id: string, sealed: Buffer): Promise<void> {
    await writeReplacing(join(this.blobs, id), sealed, false);
  }

  readBlob(id: string): Promise<Buffer | null> {
    return readFile(join(this.blobs, id)).catch(ifMissing(null));
  }

  removeBlob(id: string): Promise<void> {
    return rm(join(this.blobs, id), { force: true });
  }

  async listBlobs(): Promise<string[]> {
    const names = await readdir(this.blobs);
    // Temporary files of a write cut short go too: they are named `<id>.tmp`.
    await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => rm(join(this.blobs, n), { force: true })));
    return names.filter((name) => BLOB_NAME.test(name));
  }

  writeIndex(sealed: Buffer): Promise<void> {
    return writeReplacing(join(this.folder, INDEX_FILE), sealed, true);
  }

  readIndex(): Promise<Buffer | null> {
    return readFile(join(this.folder, INDEX_FILE)).catch(ifMissing(null));
  }
}

async function writeReplacing(path: string, data: Buffer, sync: boolean): Promise<void> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

function ifMissing<T>(value: T): (error: unknown) => T {
  return (error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw error;
  };
}
