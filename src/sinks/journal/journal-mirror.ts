import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { segmentName } from './journal-entry.js';
import { EntryCache, type JournalFeed } from './journal-feed.js';

/** What the appending side tells the mirror after appends, rotations and flushes. */
export interface JournalHead {
  /** The last seq appended. */
  lastSeq: number;
  /** Every entry up to this seq is flushed to disk. */
  syncedSeq: number;
  /** First seqs of the segment files, when they changed (a rotation, a prune). */
  segments?: number[];
}

/**
 * The alert journal as seen from another thread (the outputs' thread in local mode): the journal
 * files are read directly, and the appending thread reports its head after appends (`update`),
 * which wakes the delivery loops. Entries are in the files before they are reported, so a reader
 * never finds less than the head says.
 *
 * `syncThrough` flushes the journal's open segment through a descriptor of its own: only the open
 * segment can hold unflushed entries, since the journal flushes a segment before it starts the next
 * (alert-journal.ts), and fdatasync flushes the file whichever descriptor asks.
 */
export class JournalMirror implements JournalFeed {
  readonly entryCache = new EntryCache();
  private segmentList: number[];
  private last: number;
  private synced: number;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly dir: string,
    head: JournalHead & { segments: number[] },
    private readonly warn: (msg: string, fields?: Record<string, unknown>) => void = () => {},
  ) {
    this.segmentList = head.segments;
    this.last = head.lastSeq;
    this.synced = head.syncedSeq;
  }

  segments(): readonly number[] {
    return this.segmentList;
  }

  get lastSeq(): number {
    return this.last;
  }

  /** The appending side moved on: new entries, a flush, other segments. Wakes the readers. */
  update(head: JournalHead): void {
    if (head.segments !== undefined) this.segmentList = head.segments;
    if (head.syncedSeq > this.synced) this.synced = head.syncedSeq;
    if (head.lastSeq === this.last) return;
    this.last = head.lastSeq;
    for (const l of this.listeners) l();
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  syncThrough(seq: number): void {
    if (seq <= this.synced) return;
    const segs = this.segmentList;
    const open = segs[segs.length - 1];
    // In a finished segment: flushed when the journal moved to the next one.
    if (open === undefined || seq < open) {
      this.synced = seq;
      return;
    }
    let fd: number;
    try {
      fd = openSync(join(this.dir, segmentName(open)), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warn('journal: cannot flush to disk', { error: err });
      return;
    }
    try {
      fdatasyncSync(fd);
      this.synced = seq;
    } catch (err) {
      this.warn('journal: cannot flush to disk', { error: err });
    } finally {
      closeSync(fd);
    }
  }
}
