/**
 * Every text a command source emits, in one module so rules, docs and tests agree.
 *
 * `<prefix>` is `ospatrol` (default) or `ossec` (compat mode, GlobalConfig.commandPrefix).
 * `<alias>` is the configured alias, else the command text, with every `:` replaced by `\`
 * (OSSEC does this at start-up, ossec-platform.md 1.2/1.7; we keep it so rules written against
 * OSSEC output, e.g. `ossec: output: 'netstat -tan`, keep matching).
 *
 * Output events (OSSEC-compatible, matched by rule 530 `^<prefix>: output: `):
 *
 *   command        `<prefix>: output: '<alias>': <line>`        one event per output line
 *   full_command   `<prefix>: output: '<alias>':\n<output>`     one event per run
 *
 * Differences from OSSEC, on purpose (ossec-platform.md 1.7, 1.11 item 5):
 *   - `command`: empty output lines emit nothing. OSSEC meant to skip them but its test inspects the
 *     prefix, so it emits the bare `<prefix>: output: '<alias>': `; such an event carries no data
 *     and only feeds rule 530 noise. A trailing `\r` is stripped from each line.
 *   - `full_command`: every `\r` removed, one trailing `\n` removed, the last line kept even without
 *     a trailing newline (OSSEC drops it), runs of blank lines kept (OSSEC collapses `\n\n`).
 *     No output at all ⇒ no output event (as OSSEC); the status events below are still emitted.
 *   - Output is capped (default 64 KiB, not 5632 bytes); a cut is never silent: a marker line
 *     `[<prefix>: output truncated at <N> bytes]` (size cap) or
 *     `[<prefix>: output truncated: command killed after <S>s]` (timeout) ends the output
 *     (for `command`, the marker is its own output-line event).
 *
 * Status events (new; they do NOT start with `<prefix>: output: ` so check_diff rules on the output
 * never see them, and each has its own prefix for rules to match):
 *
 *   `<prefix>: command timeout: '<alias>': killed after <S>s`
 *   `<prefix>: command exit: '<alias>': status <code>`          (non-zero exit only)
 *   `<prefix>: command exit: '<alias>': signal <SIGNAME>`       (killed by a signal we did not send)
 *   `<prefix>: command stderr: '<alias>':\n<stderr>`            (non-empty stderr; same cleaning
 *                                                                and cap as full_command, marker
 *                                                                `[<prefix>: stderr truncated at <N> bytes]`)
 *   `<prefix>: command error: '<alias>': <reason>`              (could not be started at all)
 *   `<prefix>: command recovered: '<alias>': status 0`          (exit 0 after a run that failed,
 *                                                                timed out or could not start)
 *
 * Order within one run: output event(s), stderr, then timeout or exit or error.
 */

/** `command` format: one line. Note the space after the colon, as OSSEC. */
export function outputLineMessage(prefix: string, label: string, line: string): string {
  return `${prefix}: output: '${label}': ${line}`;
}

/** `full_command` format: header, newline, the whole (cleaned) output. */
export function fullOutputMessage(prefix: string, label: string, body: string): string {
  return `${prefix}: output: '${label}':\n${body}`;
}

export function outputTruncatedMarker(prefix: string, bytes: number): string {
  return `[${prefix}: output truncated at ${bytes} bytes]`;
}

export function outputKilledMarker(prefix: string, seconds: number): string {
  return `[${prefix}: output truncated: command killed after ${formatSeconds(seconds)}s]`;
}

export function stderrTruncatedMarker(prefix: string, bytes: number): string {
  return `[${prefix}: stderr truncated at ${bytes} bytes]`;
}

export function timeoutMessage(prefix: string, label: string, seconds: number): string {
  return `${prefix}: command timeout: '${label}': killed after ${formatSeconds(seconds)}s`;
}

export function exitStatusMessage(prefix: string, label: string, status: number): string {
  return `${prefix}: command exit: '${label}': status ${status}`;
}

/**
 * A successful run after a failing one. Without it a recovery would be silent: successful runs
 * raise no status event, so no rule could see the failure end.
 */
export function recoveredMessage(prefix: string, label: string): string {
  return `${prefix}: command recovered: '${label}': status 0`;
}

export function exitSignalMessage(prefix: string, label: string, signal: string): string {
  return `${prefix}: command exit: '${label}': signal ${signal}`;
}

export function stderrMessage(prefix: string, label: string, body: string): string {
  return `${prefix}: command stderr: '${label}':\n${body}`;
}

export function spawnErrorMessage(prefix: string, label: string, reason: string): string {
  return `${prefix}: command error: '${label}': ${reason}`;
}

/** `60` stays `60`, `0.5` stays `0.5`: no trailing `.0`, no float noise. */
function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? String(seconds) : String(Math.round(seconds * 1000) / 1000);
}
