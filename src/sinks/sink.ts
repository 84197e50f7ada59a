import type { Alert } from '../alerts/alert.js';

/**
 * A consumer of alerts. Sinks only ever see `Alert` values; they never call into the engine.
 * `write` may be synchronous (files, embedded SQLite) or return a promise (network targets).
 */
export interface Sink {
  readonly name: string;
  write(alert: Alert): void | Promise<void>;
  close(): void | Promise<void>;
}
