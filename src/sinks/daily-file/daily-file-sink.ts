import { join } from 'node:path';
import type { Alert } from '../../alerts/alert.js';
import { createLogger, type Logger } from '../../runtime/logger.js';
import type { Sink } from '../sink.js';
import { SinkError, SinkErrorCodes, alertIdOf } from '../sink-error.js';
import { DailyFile } from './daily-file.js';

/**
 * A sink that turns each alert into a text record and appends it to a daily file under
 * `<stateDir>/logs/alerts/` (see DailyFile). alerts.log and alerts.json are this with a different
 * formatter and file names. Error contract: sink-error.ts.
 */
export interface DailyFileSinkOptions {
  stateDir: string;
  /**
   * Mode of the files. Default 0640: a log shipper or an admin in the daemon's group may read
   * alerts (OSSEC's alerts.log is 0640 ossec:ossec for the same reason), others may not, since
   * alerts quote log lines and command output. Use 0600 where no group should read them.
   */
  fileMode?: number;
  /** fsync after every alert (default false: written to the kernel per alert, flushed to disk on rotation and close). */
  fsync?: boolean;
  /** Where warnings go (a failed re-link of alerts.log). Default: the stderr logger. */
  logger?: Logger;
}

export const DEFAULT_ALERT_FILE_MODE = 0o640;
const DIR_MODE = 0o750;

export interface DailyFileSinkSpec {
  name: string;
  linkName: string;
  prefix: string;
  ext: string;
  /** The whole record, including its final newline. */
  format: (alert: Alert) => string;
}

export class DailyFileSink implements Sink {
  readonly name: string;
  private readonly file: DailyFile;
  private readonly format: (alert: Alert) => string;
  private closed = false;

  constructor(spec: DailyFileSinkSpec, opts: DailyFileSinkOptions) {
    this.name = spec.name;
    this.format = spec.format;
    const logger = opts.logger ?? createLogger();
    const dir = join(opts.stateDir, 'logs', 'alerts');
    try {
      this.file = new DailyFile({
        dir,
        linkName: spec.linkName,
        prefix: spec.prefix,
        ext: spec.ext,
        fileMode: opts.fileMode ?? DEFAULT_ALERT_FILE_MODE,
        dirMode: DIR_MODE,
        fsyncEachRecord: opts.fsync === true,
        warn: (msg, fields) => logger.warn(`${spec.name}: ${msg}`, fields),
      });
    } catch (err) {
      throw new SinkError(SinkErrorCodes.OPEN, spec.name, `cannot create ${dir}`, { cause: err });
    }
  }

  /** The day file alerts currently go to (undefined before the first alert). */
  get currentFile(): string | undefined {
    return this.file.currentPath;
  }

  /** Where the next record goes, as far as a resume after a crash needs to know. */
  position(): { file: string; dayEnd: number; size: number } | undefined {
    const file = this.file.currentPath;
    return file === undefined ? undefined : { file, dayEnd: this.file.currentDayEnd, size: this.file.currentSize };
  }

  /** The file and day end a record of this time goes to when the open file rolls over. */
  pathFor(timestampMs: number): { path: string; dayEnd: number } {
    return this.file.pathFor(timestampMs);
  }

  /** The exact bytes `write` appends for this alert (throws as write does on bad data). */
  record(alert: Alert): string {
    return this.format(alert);
  }

  write(alert: Alert): void {
    const alertId = alertIdOf(alert);
    if (this.closed) throw new SinkError(SinkErrorCodes.CLOSED, this.name, 'write after close', { alertId });
    let record: string;
    try {
      // Formatted in full before anything is written, so bad data never leaves half a record.
      record = this.format(alert);
    } catch (err) {
      throw new SinkError(SinkErrorCodes.DATA, this.name, 'cannot format alert', { alertId, cause: err });
    }
    try {
      this.file.append(alert.timestamp, record);
    } catch (err) {
      throw new SinkError(SinkErrorCodes.IO, this.name, 'cannot append alert', { alertId, cause: err });
    }
  }

  /**
   * Writes several alerts in order, in as few write calls as their days allow (DailyFile.appendMany):
   * the same bytes as `write` for each. `done(n)`: the first `n` alerts are handled, written or
   * refused; an alert refused for its data (it cannot be formatted) goes to `refused` and nothing
   * of it is written, as `write` would throw DATA. Throws IO (or CLOSED) after reporting `done`.
   */
  writeBatch(alerts: readonly Alert[], done: (n: number) => void, refused: (index: number, err: SinkError) => void): void {
    if (this.closed) throw new SinkError(SinkErrorCodes.CLOSED, this.name, 'write after close', { alertId: alertIdOf(alerts[0]) });
    const items: Array<{ timestampMs: number; record: string; index: number }> = [];
    for (let i = 0; i < alerts.length; i++) {
      try {
        items.push({ timestampMs: alerts[i].timestamp, record: this.format(alerts[i]), index: i });
      } catch (err) {
        refused(i, new SinkError(SinkErrorCodes.DATA, this.name, 'cannot format alert', { alertId: alertIdOf(alerts[i]), cause: err }));
      }
    }
    // n items written: every alert before the next unwritten item is handled.
    let written = 0;
    try {
      this.file.appendMany(items, (n) => {
        written = n;
        done(n < items.length ? items[n].index : alerts.length);
      });
    } catch (err) {
      throw new SinkError(SinkErrorCodes.IO, this.name, 'cannot append alert', { alertId: alertIdOf(alerts[items[written]?.index ?? 0]), cause: err });
    }
    done(alerts.length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.file.close();
    } catch (err) {
      throw new SinkError(SinkErrorCodes.IO, this.name, 'cannot flush on close', { cause: err });
    }
  }
}
