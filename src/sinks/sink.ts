import type { Alert } from '../alerts/alert.js';
import type { SinkError } from './sink-error.js';

/**
 * A consumer of alerts. Sinks only ever see `Alert` values; they never call into the engine.
 * `write` may be synchronous (files, embedded SQLite) or return a promise (network targets).
 */
export interface Sink {
  readonly name: string;
  write(alert: Alert): void | Promise<void>;
  close(): void | Promise<void>;
}

/** What a batch write of a database sink did (SqliteSink, SqlDatabaseSink). */
export interface BatchResult {
  /** Alerts stored by this call. */
  inserted: number;
  /** Alerts already stored (same server and alertid): skipped. */
  duplicates: number;
  /** Alerts refused for their data, with the reason; the rest of the batch is stored. */
  rejected: SinkError[];
}
