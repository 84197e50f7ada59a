import type { EventHandler } from '../events/event.js';

/**
 * A producer of events (commands, log files, later agents and remote syslog). A source knows
 * nothing of the engine: it is handed an `EventHandler` at start and pushes plain `Event`s into it
 * (architecture.md, "one pipeline, one direction").
 */
export interface Source {
  /** Stable, for logs and counters (`commands`, `logfiles`). */
  readonly name: string;
  /** Begin producing. Returns at once; the work happens on timers. Starting twice is an error. */
  start(emit: EventHandler): void;
  /**
   * Stop producing, release every resource (child processes, file handles, timers) and persist
   * whatever state lets the next start resume. No event is emitted after the promise resolves.
   */
  stop(): Promise<void>;
}

/**
 * Optional ability of a source whose read position can be persisted (log files). The runtime
 * takes a `mark()` right after handing events to the engine and calls `acknowledge(mark)` once
 * all of them are durably handled; only then does the checkpoint move forward (Vector's
 * end-to-end acknowledgements). Sources created with `ackMode: 'emit'` (the default in local mode,
 * where `emit` is synchronous into the engine) acknowledge by themselves after every emit.
 */
export interface Acknowledging {
  /** An opaque snapshot of "everything emitted so far". */
  mark(): AckMark;
  /** Everything emitted up to `mark` (default: up to now) is handled: checkpoints may advance. */
  acknowledge(mark?: AckMark): void;
}

/** Opaque to callers: produced by `mark()`, consumed by `acknowledge()`. */
export interface AckMark {
  readonly __ackMark: true;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One logger for the whole program (architecture.md "Habits"); sources only call it. */
export type Logger = (level: LogLevel, msg: string, data?: Record<string, unknown>) => void;

/**
 * Problems that are "handled and counted" (a truncated line, a skipped command run) go here,
 * never through an exception. Names are listed in `SourceCounters`.
 */
export type Counter = (name: string, by?: number) => void;

/** Handle returned by `Timers.setTimeout`. */
export type TimerHandle = unknown;

/** Injected so tests of scheduling can drive time; defaults to the global timers. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** What every source is built from (Vector's component context). */
export interface SourceContext {
  /** The state directory (`-D`); sources keep their state below it (`queue/logcollector/`). */
  stateDir: string;
  /** Wall clock, epoch milliseconds: event receive times and command schedules. */
  now(): number;
  log: Logger;
  count: Counter;
  /** Defaults to the global `setTimeout`/`clearTimeout`. */
  timers?: Timers;
  /**
   * Back-pressure from whoever takes the events: undefined to go on, or a promise resolved once
   * there is room again. Sources that can wait (files, which keep their data) await it before
   * reading more; the others (command output) go on.
   */
  room?(): Promise<void> | undefined;
  /**
   * Resolves once every event emitted so far is handled and acknowledged: an `explicit` source
   * awaits it after its last emit, before its last checkpoint, so a stop does not leave handled
   * events to be read again.
   */
  settle?(): Promise<void>;
}

/** Every counter a source may bump, in one place so dashboards and docs agree. */
export const SourceCounters = {
  EMIT_FAILED: 'sources.emit_failed',
  COMMAND_RUNS: 'command.runs',
  COMMAND_SKIPPED_OVERLAP: 'command.skipped_overlap',
  COMMAND_SKIPPED_LATE: 'command.skipped_late',
  COMMAND_TIMEOUT: 'command.timeout',
  COMMAND_OUTPUT_TRUNCATED: 'command.output_truncated',
  COMMAND_STDERR_TRUNCATED: 'command.stderr_truncated',
  COMMAND_EXIT_NONZERO: 'command.exit_nonzero',
  COMMAND_SPAWN_FAILED: 'command.spawn_failed',
  COMMAND_LEFTOVER_KILLED: 'command.leftover_killed',
  COMMAND_UNKILLABLE: 'command.unkillable',
  /** The failing-commands file could not be read or written (failing-commands.ts). */
  COMMAND_STATE_FAILED: 'command.state_failed',
  LOGFILE_LINE_TRUNCATED: 'logfile.line_truncated',
  LOGFILE_ROTATED: 'logfile.rotated',
  LOGFILE_TRUNCATED: 'logfile.truncated',
  LOGFILE_PARTIAL_FLUSHED: 'logfile.partial_line_flushed',
  LOGFILE_OPEN_FAILED: 'logfile.open_failed',
  LOGFILE_READ_FAILED: 'logfile.read_failed',
  LOGFILE_NOT_REGULAR: 'logfile.not_regular',
  LOGFILE_DUPLICATE: 'logfile.duplicate_path',
  LOGFILE_CHECKPOINT_FAILED: 'logfile.checkpoint_failed',
  LOGFILE_CHECKPOINT_INVALID: 'logfile.checkpoint_invalid',
  LOGFILE_GLOB_FAILED: 'logfile.glob_failed',
} as const;

export const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Call the handler without letting an engine bug kill the collector: the failure is logged and
 * counted, and collection goes on (the event counts as delivered; a crash loop would lose more).
 */
export function safeEmit(ctx: SourceContext, emit: EventHandler, event: Parameters<EventHandler>[0]): void {
  try {
    emit(event);
  } catch (err) {
    ctx.count(SourceCounters.EMIT_FAILED);
    ctx.log('error', 'event handler failed', { location: event.location, error: String(err) });
  }
}
