// Bytes in, complete lines out — the one splitter behind every tailed file and
// every command the collectors read (auth log, audit log, journalctl, log
// stream, PowerShell). A line is decoded only once it is complete, as UTF-8
// with U+FFFD for invalid bytes, so a multi-byte character split across two
// reads is never mangled and a bad byte never throws. A trailing \r is dropped.
//
// A line longer than `maxLineBytes` is never buffered beyond that limit. With
// `overlong: 'cut'` its first `maxLineBytes` are emitted as the line (an auth-log
// line padded to hide from the parser is still seen by its start); with 'skip'
// nothing of it is emitted (a cut JSON record is only noise). Either way it is
// reported once, at its end, with its full length.

export interface LineSplitterOptions {
  line(line: string): void;
  overlong(totalBytes: number): void;
  maxLineBytes?: number;
  /** What to do with a line over the limit: emit its first `maxLineBytes` ('cut') or drop it ('skip'). Default 'skip'. */
  overlongMode?: 'cut' | 'skip';
}

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

export class LineSplitter {
  private parts: Buffer[] = [];
  /** Bytes of the current line so far, including any beyond the limit. */
  private lineBytes = 0;
  private overLimit = false;
  private readonly max: number;
  private readonly cut: boolean;

  constructor(private readonly options: LineSplitterOptions) {
    this.max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.cut = options.overlongMode === 'cut';
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl === -1) return;
      this.endLine();
      start = nl + 1;
    }
  }

  /** The stream ended or the file was rotated away: a last unterminated line counts as a line. */
  flush(): void {
    if (this.lineBytes > 0) this.endLine();
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    const room = this.max - this.lineBytes;
    this.lineBytes += piece.length;
    if (this.overLimit) return;
    if (piece.length <= room) {
      // Copied: the caller may reuse its read buffer.
      this.parts.push(Buffer.from(piece));
      return;
    }
    this.overLimit = true;
    if (this.cut) {
      this.parts.push(Buffer.from(piece.subarray(0, room)));
      this.emit();
    }
    this.parts = [];
  }

  private endLine(): void {
    if (this.overLimit) this.options.overlong(this.lineBytes);
    else if (this.lineBytes > 0) this.emit();
    this.parts = [];
    this.lineBytes = 0;
    this.overLimit = false;
  }

  private emit(): void {
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    const text = bytes.toString('utf8');
    this.options.line(text.endsWith('\r') ? text.slice(0, -1) : text);
  }
}
