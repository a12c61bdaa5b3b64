// What a file event means beside the ones before it, for the ransomware rule:
// an encrypted-looking file on its own is ordinary (a PDF, a photo, a zip); a
// document *replaced* by encrypted-looking content is not. The lineage remembers
// the last entropy seen per path (bounded) and names an event's `suspicion`:
//  - encrypted_copy: high-entropy content in `<document>.<new extension>` — the
//    copy ransomware writes beside the original (`chart.docx.locked`) before
//    deleting it. The name is enough: the original's delete is not waited for
//    (the file collector holds deletes back to pair renames);
//  - encrypted_rewrite: a file rewritten with high-entropy content whose last
//    known entropy was low, or whose type is never high-entropy (a .txt, .csv,
//    .hl7 full of random bytes);
//  - encrypted_rename: encrypted-looking content renamed to an unknown extension.
// What this leaves alone, on purpose: new PDFs or photos saved (no document
// replaced), an archive unpacked (ordinary types), a backup or compression tool
// (`.gz`, `.zip`, `.bak` … are known suffixes), an office save (temp file renamed
// to a known type; a .docx is high-entropy before and after).
import type { FilePortableEvent, PortableEvent } from '@wardwatch/shared/agent';
import { isFileEvent } from '@wardwatch/shared/agent';
import { RecentMap } from '@wardwatch/shared/agent';

export type FileSuspicion = 'encrypted_copy' | 'encrypted_rewrite' | 'encrypted_rename';

/** Bits per byte from which content looks encrypted or compressed. */
export const HIGH_ENTROPY = 7.5;
/** A last known entropy below this, followed by a high one, is a jump. */
const LOW_BEFORE = 6.5;
/** Paths remembered, the most recent half always (the fanotify addon's content memory holds as many). */
export const MAX_PATHS = 100_000;

/** Types whose content is never close to random (text, markup, old binary office). */
const LOW_ENTROPY_TYPES = new Set(
  'txt csv tsv rtf xml html htm json log hl7 md ini cfg conf sql eml ics vcf yaml yml svg tex doc xls ppt dbf'.split(
    ' ',
  ),
);

/** Ordinary types: a document, an image, media, an archive — a rename to one of them is not suspicious. */
const KNOWN_TYPES = new Set([
  ...LOW_ENTROPY_TYPES,
  ...'pdf docx xlsx pptx docm xlsm odt ods odp pages numbers key one msg vsdx pub xps'.split(' '),
  ...'jpg jpeg png gif bmp tif tiff heic webp dcm dicom mp3 mp4 m4a mov avi wav wmv mkv'.split(' '),
  ...'zip 7z rar gz tgz bz2 xz zst tar cab iso'.split(' '),
  ...'exe dll msi lnk db sqlite mdb accdb'.split(' '),
]);

/** Suffixes that tools add to a whole file name for good reasons: temp, downloads, backups, compression, signatures. */
const BENIGN_SUFFIXES = new Set(
  'tmp temp part partial crdownload download bak old orig swp lock gz bz2 xz zst lz4 zip 7z rar tgz p7m p7s sig asc sha256 md5'.split(
    ' ',
  ),
);

export class FileLineage {
  private readonly entropy = new RecentMap<string, number>(MAX_PATHS);

  /** The event's suspicion, if any; remembers what it needs for the next events. */
  observe(event: PortableEvent): FileSuspicion | undefined {
    if (!isFileEvent(event)) return undefined;
    switch (event.kind) {
      case 'file_create':
      case 'file_write':
        return this.written(event);
      case 'file_rename':
        return this.renamed(event);
      case 'file_delete':
        this.entropy.delete(event.path);
        return undefined;
      default:
        return undefined;
    }
  }

  private written(event: FilePortableEvent): FileSuspicion | undefined {
    return event.entropy === undefined ? undefined : this.observeWrite(event.path, event.entropy);
  }

  /** A file's content written with this entropy: its suspicion, if any (the fanotify gate calls it too). */
  observeWrite(path: string, entropy: number): FileSuspicion | undefined {
    const before = this.entropy.get(path);
    this.remember(path, entropy);
    return writeSuspicion(path, entropy, before);
  }

  /** A file's content as it was seen before any write (read at open): the "before" of a rewrite. */
  observeContent(path: string, entropy: number): void {
    this.remember(path, entropy);
  }

  private renamed(event: Extract<PortableEvent, { kind: 'file_rename' }>): FileSuspicion | undefined {
    const before = this.entropy.get(event.previousPath) ?? event.entropy;
    this.entropy.delete(event.previousPath);
    if (before !== undefined) this.remember(event.path, before);
    const from = extensionOf(event.previousPath);
    const to = extensionOf(event.path);
    if (before === undefined || before < HIGH_ENTROPY || from === to) return undefined;
    return KNOWN_TYPES.has(to) || BENIGN_SUFFIXES.has(to) ? undefined : 'encrypted_rename';
  }

  private remember(path: string, entropy: number): void {
    this.entropy.set(path, entropy);
  }
}

/**
 * What a write of `entropy` to `path` means, given the path's last known entropy (`before`). Below
 * HIGH_ENTROPY never anything: the fanotify addon relies on it to note such writes without asking.
 */
export function writeSuspicion(path: string, entropy: number, before: number | undefined): FileSuspicion | undefined {
  if (entropy < HIGH_ENTROPY) return undefined;
  if (before !== undefined && before < LOW_BEFORE) return 'encrypted_rewrite';
  const extension = extensionOf(path);
  if (LOW_ENTROPY_TYPES.has(extension)) return 'encrypted_rewrite';
  return isDocumentWithNewSuffix(path) ? 'encrypted_copy' : undefined;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Lower-case extension of the file name ('' for none). */
export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** `chart.docx.locked`: a known type's full name with one more, unknown suffix. */
function isDocumentWithNewSuffix(path: string): boolean {
  const name = baseName(path);
  const last = name.lastIndexOf('.');
  if (last <= 0) return false;
  const suffix = name.slice(last + 1).toLowerCase();
  if (KNOWN_TYPES.has(suffix) || BENIGN_SUFFIXES.has(suffix)) return false;
  const inner = extensionOf(name.slice(0, last));
  return inner !== '' && KNOWN_TYPES.has(inner);
}
