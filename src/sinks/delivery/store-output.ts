import type { Alert } from '../../alerts/alert.js';
import type { Logger } from '../../runtime/logger.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import type { BatchResult } from '../sink.js';
import type { Output } from './output.js';

/** What StoreOutput needs of a database sink: SqliteSink (sync) and SqlDatabaseSink (async) both fit. */
export interface BatchWriter {
  writeBatch(alerts: readonly Alert[]): BatchResult | Promise<BatchResult>;
  close(): void | Promise<void>;
}

/**
 * A database (the embedded SQLite store, PostgreSQL, MySQL) as a journal consumer. Each batch is
 * one transaction; a replayed alert is skipped by the database (unique server + alert id), so the
 * loop's at-least-once delivery stores every alert exactly once. An alert the database refuses for
 * its data is logged with the reason and not retried (it would fail again); a database failure
 * rejects the batch and the loop retries it.
 */
export class StoreOutput implements Output {
  /** A busy stream goes in full batches (one transaction each): 200 ms at most after the previous one. */
  readonly lingerMs = 200;

  constructor(
    readonly name: string,
    readonly target: string,
    readonly local: boolean,
    private readonly sink: BatchWriter,
    private readonly logger: Logger,
  ) {}

  async deliver(entries: readonly JournalEntry[]): Promise<void> {
    const result = await this.sink.writeBatch(entries.map((e) => e.alert));
    for (const err of result.rejected) this.logger.error('output: alert refused', { output: this.name, alert: err.alertId, error: err });
  }

  close(): void | Promise<void> {
    return this.sink.close();
  }
}
