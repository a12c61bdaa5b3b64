// Turns a byte stream into lines: keeps a partial last line until its newline
// arrives, decodes each line as UTF-8 (bad bytes become U+FFFD, never a throw),
// and refuses to buffer a line beyond `maxLineBytes` — such a line is reported
// once as oversized and skipped up to its newline.

export interface LineSplitterHandlers {
  line(line: string): void;
  oversized(bytes: number): void;
}

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

export class LineSplitter {
  private parts: Buffer[] = [];
  private buffered = 0;
  private skipping = false;

  constructor(
    private readonly handlers: LineSplitterHandlers,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl === -1) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  /** Emits a last line that had no newline (the stream ended). */
  flush(): void {
    if (this.buffered > 0 || this.skipping) this.finishLine();
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.skipping) {
      this.buffered += piece.length;
      return;
    }
    if (this.buffered + piece.length > this.maxLineBytes) {
      this.skipping = true;
      this.parts = [];
    } else {
      this.parts.push(piece);
    }
    this.buffered += piece.length;
  }

  private finishLine(): void {
    if (this.skipping) this.handlers.oversized(this.buffered);
    else if (this.buffered > 0) {
      const line = this.parts.length === 1 ? this.parts[0]!.toString('utf8') : Buffer.concat(this.parts).toString('utf8');
      this.handlers.line(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    this.parts = [];
    this.buffered = 0;
    this.skipping = false;
  }
}
