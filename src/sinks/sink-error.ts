/**
 * The one error a sink throws. The contract every sink in this folder keeps:
 *
 * - `write(alert)` returns normally only once the alert is durable as far as that sink promises
 *   (handed to the kernel for files, committed for SQLite). Otherwise it throws a `SinkError` naming
 *   the sink, the alert id and the cause; it never swallows a failure and never throws anything
 *   else. The caller decides: count it, log it, retry it (replays are idempotent in SQLite; a file
 *   sink may then hold the record twice).
 * - `DATA`: this alert cannot be written (e.g. its timestamp is not a number). Nothing of it was
 *   written; the sink stays usable and the next alert is unaffected.
 * - `IO`: the medium failed (disk full, permissions, database locked). For a file sink a record
 *   may be partly written; the sink retries opening its file on the next write.
 * - `OPEN`: the sink could not start (folder not creatable, database schema newer than this build).
 * - `CLOSED`: `write` after `close()`; a wiring bug, reported rather than ignored.
 * - `close()` flushes and releases; it is idempotent and throws `IO` only if the final flush fails.
 *
 * Codes follow `errors.ts` naming (`OSP_ERR_<AREA>_<WHAT>`); they live here until the registry
 * there gains a SINK area.
 */
export const SinkErrorCodes = {
  DATA: 'OSP_ERR_SINK_DATA',
  IO: 'OSP_ERR_SINK_IO',
  OPEN: 'OSP_ERR_SINK_OPEN',
  CLOSED: 'OSP_ERR_SINK_CLOSED',
} as const;

export type SinkErrorCode = (typeof SinkErrorCodes)[keyof typeof SinkErrorCodes];

export class SinkError extends Error {
  readonly code: SinkErrorCode;
  readonly sink: string;
  readonly alertId: string | undefined;

  constructor(code: SinkErrorCode, sink: string, reason: string, opts: { alertId?: string; cause?: unknown } = {}) {
    super(`${sink}: ${opts.alertId !== undefined ? `alert ${opts.alertId}: ` : ''}${reason}${causeText(opts.cause)}`, {
      cause: opts.cause,
    });
    this.name = 'SinkError';
    this.code = code;
    this.sink = sink;
    this.alertId = opts.alertId;
  }
}

function causeText(cause: unknown): string {
  if (cause === undefined) return '';
  return `: ${cause instanceof Error ? cause.message : String(cause)}`;
}

/** The id of something that may not even be an alert, for error messages. */
export function alertIdOf(alert: unknown): string | undefined {
  const id = (alert as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
