import type { FileHandle } from 'node:fs/promises';
import { HEAD_BYTES, readHead, type FileIdentity } from './fingerprint.js';
import type { Framer } from './framing.js';
import { LineSplitter, type LineSink } from './line-splitter.js';

/** A resumable position: the offset and whether it lies inside an over-long line being skipped. */
export interface SafePoint {
  pos: number;
  skipping: boolean;
}

export interface ReaderHooks {
  /** A framed event text. */
  message(text: string): void;
  /** A line was cut at the cap. */
  lineTruncated(): void;
  /** An unterminated last line was delivered because the file ended (rotation, truncation). */
  partialFlushed(): void;
}

export type ContentCheck = 'same' | 'truncated' | 'replaced';

/**
 * One open file: handle, identity, read offset, head fingerprint, line splitting and framing.
 *
 * Two offsets matter. `pos` is how far we have read. `safe` is how far everything is handled: it
 * excludes the carried partial line and an incomplete multi-line group, so a restart from `safe`
 * neither loses nor repeats a line. `acked` trails `safe` when the runtime acknowledges explicitly.
 */
export class FileReader {
  pos: number;
  safe: SafePoint;
  acked: SafePoint;
  head: Buffer;
  /** Bumped when the reader restarts at 0 after a truncation, so stale ack marks are ignored. */
  epoch = 0;
  private readonly splitter: LineSplitter;
  private readonly sink: LineSink;

  constructor(
    readonly fh: FileHandle,
    readonly id: FileIdentity,
    start: SafePoint,
    head: Buffer,
    private readonly framer: Framer,
    maxLineBytes: number,
    private readonly hooks: ReaderHooks,
  ) {
    this.pos = start.pos;
    this.safe = { ...start };
    this.acked = { ...start };
    this.head = head;
    this.splitter = new LineSplitter(maxLineBytes, start.skipping);
    this.sink = {
      line: (bytes, end, truncated) => {
        if (truncated) this.hooks.lineTruncated();
        // Invalid UTF-8 becomes U+FFFD and NULs stay as text: bad input is data, not an error.
        const text = this.framer.push(bytes.toString('utf8'));
        if (text !== undefined) this.hooks.message(text);
        if (!this.framer.pending) this.safe = { pos: end, skipping: this.splitter.skipping };
      },
      skipped: (end, still) => {
        if (!this.framer.pending) this.safe = { pos: end, skipping: still };
      },
    };
  }

  /**
   * Cheap check before reading: a size below our offset (or below the head) is a truncation. A
   * truncation followed at once by more bytes than before does not show here; readAvailable
   * catches it.
   */
  async checkSize(): Promise<ContentCheck> {
    const { size } = await this.fh.stat();
    return size < this.pos || size < this.head.length ? 'truncated' : 'same';
  }

  /**
   * Read and deliver what is there, at most `budget` bytes (fairness across files: OSSEC reads a busy
   * file to EOF and starves the rest, ossec-platform.md 1.1). `eof` false means more is waiting.
   *
   * Each chunk is delivered only after the head has been re-read and found unchanged. The check
   * must come after the read: our reads run on the thread pool while the writer works, so a head
   * compared before reading can be stale by the time the bytes are read (truncate + rewrite in
   * between would hand us the middle of the new content as if it were new lines). A writer that
   * truncates and rewrites from offset 0 changes the head before it can reach our offset, so a
   * chunk followed by an unchanged head is old content. On a change the chunk is dropped and
   * `changed` says what happened; the caller restarts from 0.
   */
  async readAvailable(buf: Buffer, budget: number): Promise<{ bytes: number; eof: boolean; changed?: ContentCheck }> {
    let total = 0;
    while (total < budget) {
      const { bytesRead } = await this.fh.read(buf, 0, Math.min(buf.length, budget - total), this.pos);
      if (bytesRead === 0) return { bytes: total, eof: true };
      const changed = await this.verifyHead();
      if (changed !== 'same') return { bytes: total, eof: false, changed };
      const base = this.pos;
      this.pos += bytesRead;
      total += bytesRead;
      this.splitter.feed(buf.subarray(0, bytesRead), base, this.sink);
    }
    return { bytes: total, eof: false };
  }

  /** Compare the file's first bytes with the head we know; grow the head while it is short. */
  private async verifyHead(): Promise<ContentCheck> {
    const cur = await readHead(this.fh, HEAD_BYTES);
    if (cur.length < this.head.length) return 'truncated';
    if (!cur.subarray(0, this.head.length).equals(this.head)) return 'replaced';
    if (cur.length > this.head.length) this.head = cur;
    return 'same';
  }

  /**
   * The file will give nothing more under this reader (rotated away, truncated, dropped): deliver
   * the unterminated last line and any incomplete group rather than lose them.
   */
  finish(): void {
    const partial = this.splitter.takePartial();
    if (partial !== undefined) {
      this.hooks.partialFlushed();
      const text = this.framer.push(partial.toString('utf8'));
      if (text !== undefined) this.hooks.message(text);
    }
    const rest = this.framer.flush();
    if (rest !== undefined) this.hooks.message(rest);
    this.splitter.skipping = false;
    this.safe = { pos: this.pos, skipping: false };
  }

  /** Same file, new content (truncation): deliver what was pending, then start again at 0. */
  restartFromZero(): void {
    this.finish();
    this.splitter.reset();
    this.pos = 0;
    this.safe = { pos: 0, skipping: false };
    this.acked = { pos: 0, skipping: false };
    this.head = Buffer.alloc(0);
    this.epoch++;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => {});
  }
}
