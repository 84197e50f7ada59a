import { closeSync, openSync, readSync } from 'node:fs';
import type { Logger } from '../../runtime/logger.js';
import type { DailyFileSink } from '../daily-file/daily-file-sink.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { Output } from './output.js';

/** The resume state saved with the cursor: where the last delivered record ended. */
interface FileState {
  file: string;
  dayEnd: number;
  size: number;
}

/**
 * alerts.log or alerts.json as a journal consumer. Appending to a file cannot be made idempotent
 * by a key, so exactly-once comes from comparing bytes instead: the cursor saves where the last
 * delivered record ended, and after a crash `recover` formats the alerts past the cursor and
 * checks whether exactly those bytes already follow in the file; the ones found are not written
 * again. Nothing is parsed, so a log line that imitates an alert header cannot fool it.
 *
 * Records are written as soon as the journal has them, a batch at a time: one write call per
 * batch (per day file), which holds whole records only, so a reader never sees half a record.
 */
export class FileOutput implements Output {
  readonly local = true;
  readonly target: string;
  /** Highest seq written to the file; entries at or below it are not written again after a retry. */
  private writtenThrough = 0;
  /** The file position after the last fully delivered batch: what the cursor saves. */
  private stateAtBatchEnd: FileState | undefined;

  constructor(
    readonly name: string,
    private readonly sink: DailyFileSink,
    private readonly logger: Logger,
    target: string,
  ) {
    this.target = target;
  }

  deliver(entries: readonly JournalEntry[]): void {
    let from = 0;
    while (from < entries.length && entries[from].seq <= this.writtenThrough) from++;
    const todo = from === 0 ? entries : entries.slice(from);
    if (todo.length > 0) {
      this.sink.writeBatch(
        todo.map((e) => e.alert),
        (n) => {
          if (n > 0) this.writtenThrough = Math.max(this.writtenThrough, todo[n - 1].seq);
        },
        (i, err) => this.logger.error('output: alert refused', { output: this.name, alert: todo[i].alert?.id, error: err }),
      );
    }
    this.stateAtBatchEnd = this.sink.position() ?? this.stateAtBatchEnd;
  }

  cursorState(): FileState | undefined {
    return this.stateAtBatchEnd;
  }

  recover(state: unknown, pending: () => JournalEntry | undefined): number {
    const s = state as Partial<FileState> | null;
    if (!s || typeof s.file !== 'string' || typeof s.size !== 'number' || typeof s.dayEnd !== 'number') return 0;
    const files = new Map<string, number>();
    let file = s.file;
    let dayEnd = s.dayEnd;
    let pos = s.size;
    let found = 0;
    try {
      for (let e = pending(); e; e = pending()) {
        let record: Buffer;
        try {
          record = Buffer.from(this.sink.record(e.alert), 'utf8');
        } catch {
          // Refused for its data then as now: nothing was written for it.
          found++;
          continue;
        }
        let at = { file, dayEnd, pos };
        if (e.alert.timestamp >= dayEnd) {
          const next = this.sink.pathFor(e.alert.timestamp);
          at = { file: next.path, dayEnd: next.dayEnd, pos: 0 };
        }
        if (!fileHas(files, at.file, at.pos, record)) break;
        ({ file, dayEnd } = at);
        pos = at.pos + record.length;
        found++;
      }
    } finally {
      for (const fd of files.values()) closeSync(fd);
    }
    // Where the records up to the recovered cursor end: saved with the cursor from now on, so a
    // second crash before the next delivery still finds them (not only the records of a batch).
    this.stateAtBatchEnd = { file, dayEnd, size: pos };
    return found;
  }

  close(): void {
    this.sink.close();
  }
}

/** Whether `file` holds exactly `bytes` at `pos`. */
function fileHas(fds: Map<string, number>, file: string, pos: number, bytes: Buffer): boolean {
  let fd = fds.get(file);
  if (fd === undefined) {
    try {
      fd = openSync(file, 'r');
    } catch {
      return false;
    }
    fds.set(file, fd);
  }
  const buf = Buffer.allocUnsafe(bytes.length);
  let got = 0;
  while (got < bytes.length) {
    const n = readSync(fd, buf, got, bytes.length - got, pos + got);
    if (n === 0) return false;
    got += n;
  }
  return buf.equals(bytes);
}
