import type { OspatrolConfig } from '../config/model.js';
import type { RunnerStatus } from '../sinks/delivery/output-runner.js';
import type { JournalHead } from '../sinks/journal/journal-mirror.js';
import type { LogLevel } from './logger.js';

/**
 * Messages between local mode's main thread (sources, engine, journal: output-host.ts) and the
 * outputs' thread (output-worker.ts). Plain, structured-cloneable values; alerts never cross: the
 * outputs read them from the journal files.
 */

/** Given once, when the thread starts. */
export interface OutputWorkerData {
  stateDir: string;
  journalDir: string;
  version: string;
  emailGroupDelayMs: number | undefined;
  head: JournalHead & { segments: number[] };
}

export type ToWorker =
  /** Build the configuration's outputs and start delivering (at start, and at a reload). */
  | { type: 'start'; config: OspatrolConfig; hostname: string }
  /** New entries in the journal, a flush, other segments. */
  | ({ type: 'head' } & JournalHead)
  /** Stop every output (each drains within its deadline), then answer `stopped`. */
  | { type: 'stop' };

export type FromWorker =
  /** The answer to `start`: running with these outputs, or `error` when one could not open. */
  | { type: 'started'; outputs: string[]; error?: SerializedError }
  | { type: 'stopped'; status: RunnerStatus[] }
  /** A cursor was persisted: the journal may drop what every output has passed (`seq`). */
  | { type: 'committed'; seq: number; status: RunnerStatus[] }
  | { type: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> };

export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
}

export function serializeError(e: unknown): SerializedError {
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, message: err.message, stack: err.stack };
}

export function deserializeError(s: SerializedError): Error {
  const e = new Error(s.message);
  e.name = s.name;
  e.stack = s.stack;
  return e;
}
