import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEntry, segmentName, type JournalPosition, type ReadEntry } from './journal-entry.js';
import type { EntryCache } from './journal-feed.js';

/**
 * Reads journal entries after a given seq, segment by segment, for one output (or for the status
 * command). Its start is a seq ("everything after N") and optionally a position at or before the
 * first entry wanted, so resuming does not rescan a segment; without a usable position it finds
 * the segment from the file names. Entries with a seq at or below the start are skipped, so a
 * position that is a little early is harmless.
 *
 * Only whole lines are returned: a line still being written (another process appending) is left
 * for the next read. An unreadable line is reported and skipped, never fatal.
 */
export interface JournalReaderOptions {
  dir: string;
  /** First seqs of the segment files, ascending (the journal's list, or the folder's). */
  segments: () => readonly number[];
  /** Entries pruned before this reader got to them: (first missing seq, first seq available). */
  onGap?: (from: number, to: number) => void;
  onBadLine?: (position: JournalPosition, error: unknown) => void;
  /** Entries decoded by the other readers of this journal (journal-feed.ts): each line is parsed once. */
  cache?: EntryCache;
}

const MIN_CHUNK = 64 * 1024;

export class JournalReader {
  private segment: number | undefined;
  private offset = 0;
  private fd: number | undefined;
  private afterSeq = 0;
  private chunk = Buffer.allocUnsafe(MIN_CHUNK);

  constructor(private readonly opts: JournalReaderOptions) {}

  /** Positions the reader just after `seq`, starting its scan at `hint` when that segment still exists. */
  seek(seq: number, hint?: JournalPosition): void {
    this.closeFd();
    this.afterSeq = seq;
    const segs = this.opts.segments();
    if (hint && segs.includes(hint.segment) && hint.segment <= seq + 1) {
      this.segment = hint.segment;
      this.offset = hint.offset;
      return;
    }
    // The segment holding seq + 1: the last one starting at or before it.
    let chosen: number | undefined;
    for (const s of segs) if (s <= seq + 1) chosen = s;
    if (chosen === undefined && segs.length > 0) {
      chosen = segs[0];
      if (chosen > seq + 1) this.opts.onGap?.(seq + 1, chosen);
    }
    this.segment = chosen;
    this.offset = 0;
  }

  /** The seq after which reading continues. */
  get position(): number {
    return this.afterSeq;
  }

  /** Up to `maxEntries` entries (and about `maxBytes`) after the current position; [] when caught up. */
  read(maxEntries: number, maxBytes = 8 * 1024 * 1024): ReadEntry[] {
    const out: ReadEntry[] = [];
    let bytes = 0;
    if (this.segment === undefined) this.seek(this.afterSeq);
    const cache = this.opts.cache;
    while (out.length < maxEntries && bytes < maxBytes && this.segment !== undefined) {
      if (cache !== undefined) {
        // Entries another reader has decoded, as long as they follow on exactly from here.
        let hit = cache.get(this.afterSeq + 1, this.segment, this.offset);
        if (hit !== undefined) {
          do {
            out.push(hit.entry);
            this.afterSeq = hit.entry.seq;
            this.offset += hit.bytes;
            bytes += hit.bytes;
          } while (out.length < maxEntries && bytes < maxBytes && (hit = cache.get(this.afterSeq + 1, this.segment, this.offset)) !== undefined);
          continue;
        }
      }
      const fd = this.open();
      if (fd === undefined) {
        if (!this.advanceSegment()) break;
        continue;
      }
      const n = readSync(fd, this.chunk, 0, this.chunk.length, this.offset);
      const lastNl = n > 0 ? this.chunk.lastIndexOf(10, n - 1) : -1;
      if (lastNl < 0) {
        if (n === this.chunk.length) {
          // A line longer than the buffer: read again with room for it.
          this.chunk = Buffer.allocUnsafe(this.chunk.length * 2);
          continue;
        }
        // End of this segment (or a line still being written): on to the next one if there is one.
        if (n === 0 && this.advanceSegment()) continue;
        break;
      }
      let start = 0;
      while (start <= lastNl && out.length < maxEntries && bytes < maxBytes) {
        const nl = this.chunk.indexOf(10, start);
        const lineStart = this.offset;
        this.offset += nl + 1 - start;
        try {
          const e = decodeEntry(this.chunk.toString('utf8', start, nl));
          if (e.seq > this.afterSeq) {
            this.afterSeq = e.seq;
            const entry: ReadEntry = { seq: e.seq, alert: e.alert, next: { segment: this.segment as number, offset: this.offset } };
            out.push(entry);
            bytes += nl + 1 - start;
            cache?.put(entry, this.segment as number, lineStart, nl + 1 - start);
          }
        } catch (err) {
          this.opts.onBadLine?.({ segment: this.segment as number, offset: lineStart }, err);
        }
        start = nl + 1;
      }
      if (this.chunk.length > MIN_CHUNK && out.length > 0) this.chunk = Buffer.allocUnsafe(MIN_CHUNK);
    }
    return out;
  }

  close(): void {
    this.closeFd();
  }

  private open(): number | undefined {
    if (this.fd !== undefined) return this.fd;
    try {
      this.fd = openSync(join(this.opts.dir, segmentName(this.segment as number)), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return undefined;
    }
    return this.fd;
  }

  /** Moves to the segment after the current one; false when this is the last. */
  private advanceSegment(): boolean {
    const segs = this.opts.segments();
    const next = segs.find((s) => s > (this.segment as number));
    if (next === undefined) return false;
    this.closeFd();
    this.segment = next;
    this.offset = 0;
    return true;
  }

  private closeFd(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
