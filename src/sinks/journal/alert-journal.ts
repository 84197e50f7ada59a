import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '../../alerts/alert.js';
import { JournalLock } from './journal-lock.js';
import { decodeEntry, encodeLine, segmentFirstSeq, segmentName } from './journal-entry.js';
import { EntryCache, type JournalFeed } from './journal-feed.js';

/**
 * The alert journal: every alert the engine raises is appended here first, and every output
 * delivers from it at its own pace, from its own persisted cursor (delivery/output-runner.ts).
 * This is what OSSEC lacks (ossec-platform.md 3.2): its outputs tail alerts.log from the end, so
 * whatever was written while one was down or restarting is never delivered.
 *
 * Layout: `<stateDir>/queue/alerts/<first seq>.jsonl` segment files of one JSON entry per line
 * (journal-entry.ts), a new segment every `segmentBytes`, and a `lock` file (one process per state
 * directory). Sequence numbers increase by one per alert and are never reused, across restarts too.
 *
 * Durability (the fsync policy):
 * - `append` hands the entry to the kernel with one write before it returns: it survives a crash
 *   or kill -9 of this process. The runtime appends synchronously, before anything else sees the
 *   alert.
 * - The file is flushed to disk (fdatasync) at most every `fsyncIntervalMs` (1 s) while appends
 *   come in, on rotation, on close, and always before an output's cursor is persisted past an
 *   entry (`syncThrough`): a power cut can lose at most the last second of alerts, and can never
 *   leave a cursor pointing past the end of the journal. Should it happen anyway (a disk that lies
 *   about flushes), `seqFloor` (the highest persisted cursor) keeps new sequence numbers above it.
 * - A torn last line (power cut mid-write) is cut off at open, with a warning.
 *
 * Retention: a segment is deleted once every output's persisted cursor is past its last entry
 * (`prune`). So that an output that stays down cannot fill the disk, segments beyond `maxBytes` in
 * total are deleted oldest first even if an output has not delivered them; that loss is logged
 * with the range of sequence numbers.
 */
export interface AlertJournalOptions {
  dir: string;
  /** Start a new segment past this size. Default 8 MiB. */
  segmentBytes?: number;
  /** Most bytes kept for outputs that lag. Default 1 GiB. */
  maxBytes?: number;
  /** Longest time an appended entry waits for fdatasync. Default 1000 ms; 0 syncs every append. */
  fsyncIntervalMs?: number;
  /** New sequence numbers are at least this (highest persisted cursor + 1). */
  seqFloor?: number;
  /** Problems that lose nothing now but need a human, and losses. */
  warn?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface JournalStats {
  /** First seq still kept (the oldest segment's first), or the next seq when empty. */
  firstSeq: number;
  /** Last seq appended, 0 when none ever was. */
  lastSeq: number;
  segments: number;
  bytes: number;
}

const DEFAULTS = { segmentBytes: 8 * 1024 * 1024, maxBytes: 1024 * 1024 * 1024, fsyncIntervalMs: 1000 };

export class AlertJournal implements JournalFeed {
  readonly dir: string;
  /** Entries decoded by the readers of this journal in this thread, shared between them (journal-feed.ts). */
  readonly entryCache = new EntryCache();
  private readonly opts: Required<Omit<AlertJournalOptions, 'seqFloor' | 'warn'>>;
  private readonly warn: NonNullable<AlertJournalOptions['warn']>;
  private readonly lock: JournalLock;
  /** First seqs of the segment files, ascending; the last one is open for appends. */
  private readonly segmentList: number[] = [];
  private readonly segmentBytes = new Map<number, number>();
  private fd: number;
  private size: number;
  private next: number;
  private syncedThrough: number;
  private syncTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private closed = false;

  private constructor(opts: AlertJournalOptions) {
    this.dir = opts.dir;
    this.opts = {
      dir: opts.dir,
      segmentBytes: opts.segmentBytes ?? DEFAULTS.segmentBytes,
      maxBytes: opts.maxBytes ?? DEFAULTS.maxBytes,
      fsyncIntervalMs: opts.fsyncIntervalMs ?? DEFAULTS.fsyncIntervalMs,
    };
    this.warn = opts.warn ?? (() => {});
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.lock = JournalLock.acquire(join(this.dir, 'lock'));
    try {
      for (const name of readdirSync(this.dir)) {
        const first = segmentFirstSeq(name);
        if (first === undefined) continue;
        this.segmentList.push(first);
        this.segmentBytes.set(first, statSync(join(this.dir, name)).size);
      }
      this.segmentList.sort((a, b) => a - b);
      const floor = Math.max(1, opts.seqFloor ?? 1);
      if (this.segmentList.length === 0) {
        this.next = floor;
        this.fd = this.createSegment(floor);
        this.size = 0;
      } else {
        const last = this.segmentList[this.segmentList.length - 1];
        const { lastSeq, validBytes } = this.repairTail(last);
        this.next = Math.max(lastSeq + 1, last, floor);
        this.fd = openSync(this.pathOf(last), 'a', 0o600);
        this.size = validBytes;
        // After a power cut the journal may end below a persisted cursor: start a fresh segment
        // at the floor so seq and segment names stay consistent.
        if (this.next > lastSeq + 1 && lastSeq > 0) this.rotate();
      }
      this.syncedThrough = this.next - 1;
    } catch (err) {
      this.lock.release();
      throw err;
    }
  }

  /** Opens (creating, repairing) the journal in `opts.dir`. Throws when another process holds it. */
  static open(opts: AlertJournalOptions): AlertJournal {
    return new AlertJournal(opts);
  }

  /** The seq the next append gets. */
  get nextSeq(): number {
    return this.next;
  }

  get lastSeq(): number {
    return this.next - 1;
  }

  /** Every entry up to this seq is flushed to disk. */
  get syncedSeq(): number {
    return this.syncedThrough;
  }

  /** First seqs of the segments, ascending (what readers walk). */
  segments(): readonly number[] {
    return this.segmentList;
  }

  /** Called after every append (delivery loops wake up). */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Appends one alert and returns its seq. When this returns the entry is in the kernel (it
   * survives a crash of this process). Throws on I/O errors; nothing of the entry is then kept.
   */
  append(alert: Alert): number {
    return this.appendMany([alert]);
  }

  /**
   * Appends alerts in order and returns the seq of the first; `stamp` may give each alert its
   * final form once its seq is known. One write per segment touched, not one per alert: that is
   * what a run of alerts costs in system calls. When this returns every entry is in the kernel.
   * Throws on I/O errors: the entries before `nextSeq` were appended, the others were not (a chunk
   * that failed halfway is taken back, so readers never see a partial line).
   */
  appendMany(alerts: readonly Alert[], stamp?: (alert: Alert, seq: number) => Alert): number {
    if (this.closed) throw new Error('journal is closed');
    const first = this.next;
    let chunk = '';
    let bytes = 0;
    let count = 0;
    try {
      for (const alert of alerts) {
        const seq = this.next + count;
        const line = encodeLine(seq, stamp ? stamp(alert, seq) : alert);
        const n = Buffer.byteLength(line, 'utf8');
        if (this.size + bytes > 0 && this.size + bytes + n > this.opts.segmentBytes) {
          if (count > 0) this.writeChunk(chunk, bytes, count);
          chunk = '';
          bytes = 0;
          count = 0;
          if (this.size > 0) this.rotate();
        }
        chunk += line;
        bytes += n;
        count++;
      }
      if (count > 0) this.writeChunk(chunk, bytes, count);
    } finally {
      if (this.next > first) {
        if (this.opts.fsyncIntervalMs === 0) this.sync();
        else this.syncTimer ??= setTimeout(() => this.sync(), this.opts.fsyncIntervalMs).unref();
        for (const l of this.listeners) l();
      }
    }
    return first;
  }

  private writeChunk(chunk: string, bytes: number, count: number): void {
    const buf = Buffer.from(chunk, 'utf8');
    let off = 0;
    try {
      while (off < bytes) off += writeSync(this.fd, buf, off, bytes - off);
    } catch (err) {
      // A partial line (disk full) would hide every later entry from readers: take it back.
      if (off > 0) ftruncateSync(this.fd, this.size);
      throw err;
    }
    this.size += bytes;
    this.segmentBytes.set(this.currentSegment(), this.size);
    this.next += count;
  }

  /** Flushes appended entries to disk. */
  sync(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    if (this.closed || this.syncedThrough >= this.next - 1) return;
    try {
      fdatasyncSync(this.fd);
      this.syncedThrough = this.next - 1;
    } catch (err) {
      this.warn('journal: cannot flush to disk', { error: err });
    }
  }

  /** Makes sure everything up to `seq` is on disk: called before a cursor past it is persisted. */
  syncThrough(seq: number): void {
    if (seq > this.syncedThrough) this.sync();
  }

  /**
   * Deletes the segments every output has passed (`ackedSeq`: the lowest persisted cursor of the
   * active outputs), then, if the rest is still over `maxBytes`, the oldest ones anyway (logged:
   * outputs that had not delivered them lose those alerts). Never deletes the open segment.
   */
  prune(ackedSeq: number): void {
    while (this.segmentList.length > 1) {
      const first = this.segmentList[0];
      const lastInSegment = this.segmentList[1] - 1;
      if (lastInSegment <= ackedSeq) {
        this.removeSegment(first);
        continue;
      }
      if (this.totalBytes() > this.opts.maxBytes) {
        this.warn('journal: over its size limit; dropping the oldest alerts before every output delivered them', {
          dropped: `${first}-${lastInSegment}`,
          max_bytes: this.opts.maxBytes,
        });
        this.removeSegment(first);
        continue;
      }
      break;
    }
  }

  stats(): JournalStats {
    return { firstSeq: this.segmentList[0] ?? this.next, lastSeq: this.next - 1, segments: this.segmentList.length, bytes: this.totalBytes() };
  }

  /** Flushes, closes and releases the lock. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
    try {
      closeSync(this.fd);
    } finally {
      this.lock.release();
    }
  }

  private currentSegment(): number {
    return this.segmentList[this.segmentList.length - 1];
  }

  private pathOf(first: number): string {
    return join(this.dir, segmentName(first));
  }

  private totalBytes(): number {
    let n = 0;
    for (const b of this.segmentBytes.values()) n += b;
    return n;
  }

  private createSegment(first: number): number {
    const fd = openSync(this.pathOf(first), 'a', 0o600);
    this.segmentList.push(first);
    this.segmentBytes.set(first, 0);
    return fd;
  }

  private rotate(): void {
    const old = this.fd;
    this.fd = this.createSegment(this.next);
    this.size = 0;
    try {
      fdatasyncSync(old);
    } catch (err) {
      this.warn('journal: cannot flush a finished segment', { error: err });
    } finally {
      closeSync(old);
    }
  }

  private removeSegment(first: number): void {
    try {
      unlinkSync(this.pathOf(first));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.warn('journal: cannot delete a delivered segment', { segment: first, error: err });
        return;
      }
    }
    this.segmentList.shift();
    this.segmentBytes.delete(first);
  }

  /**
   * Reads the last segment, keeps its valid entries and cuts anything after them (a line torn by
   * a power cut, or garbage). Returns the last seq in it (first - 1 when empty) and its valid size.
   */
  private repairTail(first: number): { lastSeq: number; validBytes: number } {
    const path = this.pathOf(first);
    const fd = openSync(path, 'r+');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, buf, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      let lastSeq = first - 1;
      let valid = 0;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0 || nl >= got) break;
        let seq: number;
        try {
          seq = decodeEntry(buf.toString('utf8', start, nl)).seq;
        } catch {
          break;
        }
        if (seq <= lastSeq) break;
        lastSeq = seq;
        start = nl + 1;
        valid = start;
      }
      if (valid < size) {
        this.warn('journal: cutting a torn or unreadable end of the last segment', { segment: path, bytes: size - valid, last_seq: lastSeq });
        ftruncateSync(fd, valid);
        this.segmentBytes.set(first, valid);
      }
      return { lastSeq, validBytes: valid };
    } finally {
      closeSync(fd);
    }
  }
}
