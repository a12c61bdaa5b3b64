// The files a tar archive holds, read as a stream: plain, or gzip-compressed
// (`tar czf /media/stick/ward.tgz /srv/phi/icu`, the Linux way to pack a folder,
// has no directory to read first). Each regular file's name, size and first
// bytes (as copy-lineage.ts compares them) are kept; the rest is skipped. Names
// come from ustar headers (with their prefix), GNU long names and pax `path`
// records; sizes from octal or base-256 fields, or pax `size`. The stream is the
// workstation's: every header's checksum is checked, and reading stops at
// `maxBytes` (of decompressed bytes: a gzip bomb stops there too) or
// `maxEntries`, or at the first damaged header.
import { COPY_COMPARE_BYTES } from './copy-lineage';

export interface TarEntry {
  /** The file's name without its folders. */
  name: string;
  size: number;
  /** Its first min(size, COPY_COMPARE_BYTES) bytes. */
  start: Buffer;
}

export interface TarReading {
  entries: TarEntry[];
  /** Read to the archive's end marker; false when cut short, damaged or past the limits. */
  complete: boolean;
}

const BLOCK = 512;
/** Pax and GNU long-name records longer than this are skipped (a path is at most a few KB). */
const MAX_RECORD_BYTES = 65_536;

/** Whether these first bytes of a file are a ustar header's (POSIX and GNU tar write the magic). */
export function isTarStart(first: Buffer): boolean {
  return first.length >= 263 && first.toString('latin1', 257, 262) === 'ustar' && checksumHolds(first);
}

/** The regular files of the tar archive in `chunks`; null when its first block is no tar header. */
export async function readTarEntries(
  chunks: AsyncIterable<Buffer>,
  limits: { maxBytes: number; maxEntries: number },
): Promise<TarReading | null> {
  const input = new ByteReader(chunks[Symbol.asyncIterator](), limits.maxBytes);
  const entries: TarEntry[] = [];
  const cut = { entries, complete: false };
  let longName: string | undefined;
  let pax: { path?: string; size?: number } = {};
  for (let first = true; entries.length < limits.maxEntries; first = false) {
    const header = await input.read(BLOCK);
    const end = header !== null && header.every((b) => b === 0);
    if (!header || end || !checksumHolds(header)) return first ? null : { entries, complete: end };
    const type = String.fromCharCode(header[156]);
    const size = pax.size ?? numeric(header, 124, 12);
    if (size === undefined) return cut;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if ((type === 'x' || type === 'L') && size <= MAX_RECORD_BYTES) {
      const record = await input.read(padded);
      if (!record) return cut;
      if (type === 'L') longName = cString(record, 0, size);
      else pax = paxRecords(record.subarray(0, size));
      continue;
    }
    if (type !== '0' && type !== '\0' && type !== '7') {
      if (!(await input.skip(padded))) return cut;
      continue;
    }
    const path = pax.path ?? longName ?? headerName(header);
    pax = {};
    longName = undefined;
    const start = await input.read(Math.min(size, COPY_COMPARE_BYTES));
    if (!start || !(await input.skip(padded - start.length))) return cut;
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (name && size > 0) entries.push({ name, size, start: Buffer.from(start) });
  }
  return cut;
}

function checksumHolds(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return numeric(header, 148, 8) === sum;
}

/** An octal field, or a base-256 one (GNU, for sizes past 8 GB); undefined when it is neither. */
function numeric(header: Buffer, at: number, length: number): number | undefined {
  if (header[at] & 0x80) {
    let value = header[at] & 0x7f;
    for (let i = at + 1; i < at + length; i++) value = value * 256 + header[i];
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = header
    .toString('latin1', at, at + length)
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]*$/.test(text)) return undefined;
  return text === '' ? 0 : parseInt(text, 8);
}

function cString(bytes: Buffer, at: number, length: number): string {
  const end = bytes.indexOf(0, at);
  return bytes.toString('utf8', at, end >= 0 && end < at + length ? end : at + length);
}

function headerName(header: Buffer): string {
  const name = cString(header, 0, 100);
  const prefix = header.toString('latin1', 257, 262) === 'ustar' ? cString(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** `path` and `size` from pax records ("<length> <key>=<value>\n"). */
function paxRecords(data: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  for (let at = 0; at < data.length;) {
    const space = data.indexOf(0x20, at);
    const length = space > at ? Number(data.toString('latin1', at, space)) : NaN;
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) break;
    const record = data.toString('utf8', space + 1, at + length - 1);
    const equals = record.indexOf('=');
    const [key, value] = [record.slice(0, equals), record.slice(equals + 1)];
    if (key === 'path') out.path = value;
    if (key === 'size' && /^\d+$/.test(value) && Number.isSafeInteger(Number(value))) out.size = Number(value);
    at += length;
  }
  return out;
}

/** Exact reads and skips over a stream of chunks, never past `limit` bytes in all. */
class ByteReader {
  private buffered: Buffer = Buffer.alloc(0);
  private consumed = 0;
  private done = false;

  constructor(
    private readonly source: AsyncIterator<Buffer>,
    private readonly limit: number,
  ) {}

  /** The next `n` bytes, or null at the end of the stream, on its error, or past the limit. */
  async read(n: number): Promise<Buffer | null> {
    if (this.consumed + n > this.limit || !(await this.fill(n))) return null;
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    this.consumed += n;
    return out;
  }

  async skip(n: number): Promise<boolean> {
    if (this.consumed + n > this.limit) return false;
    this.consumed += n;
    while (n > this.buffered.length) {
      n -= this.buffered.length;
      this.buffered = Buffer.alloc(0);
      if (!(await this.fill(1))) return false;
    }
    this.buffered = this.buffered.subarray(n);
    return true;
  }

  private async fill(n: number): Promise<boolean> {
    while (this.buffered.length < n && !this.done) {
      try {
        const next = await this.source.next();
        if (next.done) this.done = true;
        else this.buffered = this.buffered.length ? Buffer.concat([this.buffered, next.value]) : next.value;
      } catch {
        this.done = true; // a truncated gzip stream, a file gone: what was read stands
      }
    }
    return this.buffered.length >= n;
  }
}
