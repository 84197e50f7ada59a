import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { MONTHS, localDay, localDayBounds, pad2 } from '../../alerts/local-time.js';

/**
 * An append-only file that rolls over daily, OSSEC's layout (ossec-analysis.md 9.2) with our
 * names: `<dir>/<YYYY>/<Mon>/<prefix><DD><ext>`, and `<dir>/<linkName>` a hard link to the current
 * day's file, so `tail -F alerts.log` keeps working and old days stay in the dated tree.
 *
 * The day comes from the timestamp passed with each record (the alert's receive time, local time),
 * not from a clock, so rotation is exact and testable. The file moves forward only: a record whose
 * day is earlier than the open file's (a clock stepped back, a late alert) is appended to the open
 * file, as OSSEC writes by the time it rolled over on, and so a reader of `<linkName>` misses nothing.
 *
 * Writes go straight to the kernel with writeSync on an O_APPEND descriptor (no user-space buffer),
 * so a record is visible to readers, and survives a crash of this process, as soon as append returns.
 */
export interface DailyFileOptions {
  /** `<stateDir>/logs/alerts`. */
  dir: string;
  /** `alerts.log`. */
  linkName: string;
  /** `ospatrol-alerts-`. */
  prefix: string;
  /** `.log`. */
  ext: string;
  /** Mode of files this creates (forced past the umask). */
  fileMode: number;
  /** Mode of folders this creates (the umask applies). */
  dirMode: number;
  /** fsync after every record: survives a power cut, at the cost of a disk flush per alert. */
  fsyncEachRecord: boolean;
  /** Problems that lose nothing but need a human (the link could not be replaced). */
  warn: (msg: string, fields: Record<string, unknown>) => void;
}

export class DailyFile {
  private fd: number | undefined;
  private path: string | undefined;
  /** End (exclusive, epoch ms) of the open file's day; a record at or past it rolls over. */
  private dayEnd = 0;
  /** The link still points elsewhere after a failed re-link; retried on each append. */
  private linkPending = false;

  constructor(private readonly opts: DailyFileOptions) {
    mkdirSync(opts.dir, { recursive: true, mode: opts.dirMode });
  }

  /** The day file currently open, if any. */
  get currentPath(): string | undefined {
    return this.path;
  }

  /** End (exclusive, epoch ms) of the open file's day; 0 before the first record. */
  get currentDayEnd(): number {
    return this.fd === undefined ? 0 : this.dayEnd;
  }

  /** Size of the open file (what a reader resuming after a crash compares against). */
  get currentSize(): number {
    return this.fd === undefined ? 0 : fstatSync(this.fd).size;
  }

  /** The day file a record of this time opens when the file rolls over (the rule `append` follows). */
  pathFor(timestampMs: number): { path: string; dayEnd: number } {
    const { year, month, day } = localDay(timestampMs);
    const path = join(this.opts.dir, String(year), MONTHS[month], `${this.opts.prefix}${pad2(day)}${this.opts.ext}`);
    return { path, dayEnd: localDayBounds(timestampMs).end };
  }

  /** Appends one record. Throws on I/O errors, the record then being unwritten or partly written. */
  append(timestampMs: number, record: string | Uint8Array): void {
    if (this.fd === undefined || timestampMs >= this.dayEnd) this.rollTo(timestampMs);
    else if (this.linkPending) this.relink();
    const buf = typeof record === 'string' ? Buffer.from(record, 'utf8') : record;
    const fd = this.fd as number;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    if (this.opts.fsyncEachRecord) fsyncSync(fd);
  }

  /**
   * Appends several records in order: one write call per run of records for the same day file, so
   * each call still holds whole records only. `done(n)` is told each time the first `n` records
   * are written. Throws on I/O errors, after reporting how many records were written whole.
   */
  appendMany(items: ReadonlyArray<{ timestampMs: number; record: string }>, done: (n: number) => void): void {
    let i = 0;
    while (i < items.length) {
      const first = items[i].timestampMs;
      if (this.fd === undefined || first >= this.dayEnd) this.rollTo(first);
      else if (this.linkPending) this.relink();
      let j = i + 1;
      let text = items[i].record;
      while (j < items.length && items[j].timestampMs < this.dayEnd) text += items[j++].record;
      const buf = Buffer.from(text, 'utf8');
      const fd = this.fd as number;
      let off = 0;
      try {
        while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
        if (this.opts.fsyncEachRecord) fsyncSync(fd);
      } catch (err) {
        let whole = i;
        for (let end = 0; whole < j && (end += Buffer.byteLength(items[whole].record, 'utf8')) <= off; ) whole++;
        if (whole > i) done(whole);
        throw err;
      }
      i = j;
      done(i);
    }
  }

  /** Flushes to disk and closes. Idempotent. */
  close(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    this.path = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Opens the day file for `timestampMs` first, and only then lets go of the old one: a failure keeps the old file. */
  private rollTo(timestampMs: number): void {
    const { path } = this.pathFor(timestampMs);
    mkdirSync(dirname(path), { recursive: true, mode: this.opts.dirMode });
    const fd = openAppend(path, this.opts.fileMode);

    const old = this.fd;
    this.fd = fd;
    this.path = path;
    this.dayEnd = localDayBounds(timestampMs).end;
    this.relink();
    if (old !== undefined) {
      try {
        fsyncSync(old);
      } catch (err) {
        this.opts.warn('could not flush the previous day file', { error: err });
      } finally {
        closeSync(old);
      }
    }
  }

  /**
   * Points `<linkName>` at the open file atomically: link to a temporary name, then rename over the
   * link, so a reader never finds the name missing. A failure loses no record (it is in the dated
   * file), so it is a warning, retried on the next append.
   */
  private relink(): void {
    const fd = this.fd as number;
    const target = this.path as string;
    const linkPath = join(this.opts.dir, this.opts.linkName);
    try {
      const current = lstatOrUndefined(linkPath);
      const mine = fstatSync(fd);
      if (current && current.ino === mine.ino && current.dev === mine.dev) {
        this.linkPending = false;
        return;
      }
      if (current && current.isFile() && current.nlink === 1 && current.size > 0) {
        // A link-less file (left by another tool, or its dated twin deleted by hand) holds alerts
        // found nowhere else: keep it under a new name instead of replacing it.
        const aside = `${linkPath}.orphan-${Math.trunc(current.mtimeMs)}`;
        renameSync(linkPath, aside);
        this.opts.warn('kept an unlinked alerts file aside', { file: aside });
      }
      const tmp = `${linkPath}.tmp-${process.pid}`;
      try {
        unlinkSync(tmp);
      } catch {
        // Usually absent; a real problem shows up in linkSync below.
      }
      linkSync(target, tmp);
      renameSync(tmp, linkPath);
      this.linkPending = false;
    } catch (err) {
      if (!this.linkPending) this.opts.warn('could not link the current day file', { link: linkPath, target, error: err });
      this.linkPending = true;
    }
  }
}

/** O_APPEND; a file this creates gets exactly `mode`, whatever the umask says. */
function openAppend(path: string, mode: number): number {
  try {
    const fd = openSync(path, 'ax', mode);
    try {
      fchmodSync(fd, mode);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return fd;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return openSync(path, 'a');
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
