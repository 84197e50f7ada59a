import type { ReadEntry } from './journal-entry.js';

/**
 * What a delivery loop (delivery/output-runner.ts) needs of the alert journal: where its files
 * are, their list, the last seq written, a wake-up on appends and a flush before a cursor is
 * persisted. The journal itself (alert-journal.ts) is one; in local mode the outputs run on their
 * own thread and see the journal through a mirror of it (journal-mirror.ts), fed by the thread
 * that appends.
 */
export interface JournalFeed {
  readonly dir: string;
  /** First seqs of the segment files, ascending. */
  segments(): readonly number[];
  /** The last seq appended (0 when none ever was). */
  readonly lastSeq: number;
  /** Called after appends (delivery loops wake up). Returns the unsubscribe function. */
  onAppend(listener: () => void): () => void;
  /** Makes sure everything up to `seq` is on disk: called before a cursor past it is persisted. */
  syncThrough(seq: number): void;
  /** Entries already decoded by one reader of this journal, for the others (optional). */
  readonly entryCache?: EntryCache;
}

/**
 * Decoded journal entries shared by the readers of one journal in one thread: each output reads
 * the same entries, and parsing each line once instead of once per output is most of the cost of
 * reading. An entry is keyed by its seq and found only by a reader positioned exactly where the
 * entry starts (same segment and offset), so a hit returns exactly what reading the file would.
 * Bounded in entries and bytes: the oldest entries go first. Outputs that read far apart (one
 * taking bigger batches than another) each parse the lines again: the delivery loops of one thread
 * therefore use one batch size and so move together. Consumers must treat the alerts as
 * read-only (they do: outputs format or convert them, never change them).
 */
export class EntryCache {
  private readonly entries = new Map<number, CachedEntry>();
  private bytes = 0;

  /** At most `maxEntries` entries and `maxBytes` of their lines (a 1 MB command output is one entry). */
  constructor(
    private readonly maxEntries = 8192,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  get(seq: number, segment: number, offset: number): CachedEntry | undefined {
    const c = this.entries.get(seq);
    return c !== undefined && c.segment === segment && c.offset === offset ? c : undefined;
  }

  put(entry: ReadEntry, segment: number, offset: number, bytes: number): void {
    if (this.entries.has(entry.seq) || bytes > this.maxBytes / 4) return;
    while (this.entries.size > 0 && (this.entries.size >= this.maxEntries || this.bytes + bytes > this.maxBytes)) {
      const [oldest, c] = this.entries.entries().next().value as [number, CachedEntry];
      this.entries.delete(oldest);
      this.bytes -= c.bytes;
    }
    this.entries.set(entry.seq, { entry, segment, offset, bytes });
    this.bytes += bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface CachedEntry {
  entry: ReadEntry;
  /** Where the entry's line starts. */
  segment: number;
  offset: number;
  /** Its line's length in bytes, newline included. */
  bytes: number;
}
