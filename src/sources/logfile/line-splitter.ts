/** Receives what `LineSplitter.feed` finds. Offsets are absolute file offsets. */
export interface LineSink {
  /**
   * A complete line without its `\n` (and without a trailing `\r`); `end` is the offset just past
   * the consumed bytes. `truncated`: the line was longer than the cap and was cut.
   */
  line(bytes: Buffer, end: number, truncated: boolean): void;
  /** Bytes up to `end` were dropped as the tail of an over-long line; `still`: more may follow. */
  skipped(end: number, still: boolean): void;
}

/**
 * Bytes in, lines out, with bounded memory. The unterminated last line is carried until its
 * newline arrives (OSPatrol 2.7's behaviour, not 4.x's split-and-garbage, ossec-platform.md 1.5).
 * A line longer than `maxLineBytes` is delivered cut at the cap as soon as the cap is passed, and
 * the rest of it is skipped up to its newline, so one runaway writer cannot exhaust memory.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;

  constructor(
    private readonly maxLineBytes: number,
    /** Resuming in the middle of an over-long line (from a checkpoint). */
    public skipping = false,
  ) {}

  /** Bytes of the carried partial line. */
  get pendingBytes(): number {
    return this.partBytes;
  }

  /** `chunk` was read at offset `base`. It may be reused by the caller afterwards. */
  feed(chunk: Buffer, base: number, sink: LineSink): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        this.carry(chunk.subarray(start), base + chunk.length, sink);
        return;
      }
      const end = base + nl + 1;
      if (this.skipping) {
        this.skipping = false;
        sink.skipped(end, false);
      } else {
        const piece = chunk.subarray(start, nl);
        let line = piece;
        if (this.partBytes > 0) {
          line = Buffer.concat([...this.parts, piece], this.partBytes + piece.length);
          this.parts = [];
          this.partBytes = 0;
        }
        line = stripCr(line);
        const truncated = line.length > this.maxLineBytes;
        sink.line(truncated ? line.subarray(0, this.maxLineBytes) : line, end, truncated);
      }
      start = nl + 1;
    }
  }

  /** The unterminated last line, if any, and forget it (the file will not grow any more). */
  takePartial(): Buffer | undefined {
    if (this.partBytes === 0) return undefined;
    const line = stripCr(Buffer.concat(this.parts, this.partBytes));
    this.parts = [];
    this.partBytes = 0;
    return line;
  }

  reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.skipping = false;
  }

  private carry(rest: Buffer, end: number, sink: LineSink): void {
    if (this.skipping) {
      sink.skipped(end, true);
      return;
    }
    // Copy: the read buffer is reused for the next read.
    this.parts.push(Buffer.from(rest));
    this.partBytes += rest.length;
    if (this.partBytes > this.maxLineBytes) {
      const all = Buffer.concat(this.parts, this.partBytes);
      this.parts = [];
      this.partBytes = 0;
      this.skipping = true;
      sink.line(all.subarray(0, this.maxLineBytes), end, true);
    }
  }
}

function stripCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
