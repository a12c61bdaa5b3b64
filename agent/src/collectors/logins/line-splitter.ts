// Bytes in, complete lines out. A line is decoded only once it is complete, as
// UTF-8 with U+FFFD for invalid bytes, so a multi-byte character split across
// two reads is never mangled. Lines longer than `maxLineBytes` are cut there;
// the rest of such a line is skipped and counted.

export interface LineSplitterOptions {
  maxLineBytes: number;
  onLine(line: string): void;
  onOverlong(): void;
}

export class LineSplitter {
  private chunks: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside an over-long line whose first `maxLineBytes` were already emitted. */
  private skipping = false;

  constructor(private readonly options: LineSplitterOptions) {}

  push(data: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = data.indexOf(0x0a, start);
      const end = newline < 0 ? data.length : newline;
      this.take(data.subarray(start, end));
      if (newline < 0) return;
      this.endLine();
      start = newline + 1;
    }
  }

  /** The writer is done with this file (rotation): a final unterminated line counts as a line. */
  flush(): void {
    if (this.pendingBytes > 0) this.endLine();
    this.skipping = false;
  }

  private take(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    const room = this.options.maxLineBytes - this.pendingBytes;
    if (part.length <= room) {
      this.chunks.push(part);
      this.pendingBytes += part.length;
      return;
    }
    this.chunks.push(part.subarray(0, room));
    this.pendingBytes += room;
    this.emit();
    this.skipping = true;
    this.options.onOverlong();
  }

  private endLine(): void {
    if (this.skipping) this.skipping = false;
    else this.emit();
  }

  private emit(): void {
    const bytes = Buffer.concat(this.chunks, this.pendingBytes);
    this.chunks = [];
    this.pendingBytes = 0;
    // syslog lines may end in \r\n when forwarded from other systems.
    const text = bytes.toString('utf8');
    this.options.onLine(text.endsWith('\r') ? text.slice(0, -1) : text);
  }
}
