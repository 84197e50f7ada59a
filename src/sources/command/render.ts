import type { CommandResult } from './runner.js';
import {
  exitSignalMessage,
  exitStatusMessage,
  fullOutputMessage,
  outputKilledMarker,
  outputLineMessage,
  outputTruncatedMarker,
  spawnErrorMessage,
  stderrMessage,
  stderrTruncatedMarker,
  timeoutMessage,
} from './messages.js';

/** What rendering needs to know about the command besides its result. */
export interface RenderSpec {
  /** `ospatrol` or `ossec`. */
  prefix: string;
  /** The alias (or the command), exactly as configured: the event location and the name in messages. */
  label: string;
  format: 'command' | 'full_command';
  timeoutSeconds: number;
  maxOutputBytes: number;
}

/**
 * Turn one run's result into event texts, in the order documented in messages.ts: output,
 * stderr, then the status (timeout, exit or error). Pure, so every rule of the format is testable
 * without a process.
 */
export function renderCommandResult(spec: RenderSpec, result: CommandResult): string[] {
  const { prefix, label } = spec;
  if (result.spawnError !== undefined) return [spawnErrorMessage(prefix, label, result.spawnError)];

  const messages: string[] = [];
  // Bytes are decoded with replacement: binary output becomes U+FFFD, never an exception.
  const stdout = result.stdout.toString('utf8');
  let marker: string | undefined;
  if (result.stdoutTruncated) marker = outputTruncatedMarker(prefix, spec.maxOutputBytes);
  else if (result.killedBy === 'timeout' && stdout.length > 0) marker = outputKilledMarker(prefix, spec.timeoutSeconds);

  if (spec.format === 'command') {
    for (const line of outputLines(stdout)) {
      // Empty lines carry nothing; OSSEC's attempt to skip them is ineffective (messages.ts).
      if (line !== '') messages.push(outputLineMessage(prefix, label, line));
    }
    if (marker !== undefined) messages.push(outputLineMessage(prefix, label, marker));
  } else if (stdout.length > 0) {
    messages.push(fullOutputMessage(prefix, label, withMarker(cleanBlock(stdout), marker)));
  }

  if (result.stderr.length > 0) {
    const stderrMarker = result.stderrTruncated ? stderrTruncatedMarker(prefix, spec.maxOutputBytes) : undefined;
    messages.push(stderrMessage(prefix, label, withMarker(cleanBlock(result.stderr.toString('utf8')), stderrMarker)));
  }

  if (result.killedBy === 'timeout') {
    messages.push(timeoutMessage(prefix, label, spec.timeoutSeconds));
  } else if (result.killedBy === undefined) {
    // Our own kills (output cap, stop) explain the status themselves; only the command's count.
    if (result.exitCode !== null && result.exitCode !== 0) messages.push(exitStatusMessage(prefix, label, result.exitCode));
    else if (result.exitCode === null && result.signal !== null) messages.push(exitSignalMessage(prefix, label, result.signal));
  }
  return messages;
}

/** Lines of `command` output: split on `\n`, trailing `\r` stripped, last line kept without `\n`. */
export function outputLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** `full_command`/stderr body: every `\r` removed, one trailing `\n` removed, the rest kept. */
export function cleanBlock(text: string): string {
  const noCr = text.replaceAll('\r', '');
  return noCr.endsWith('\n') ? noCr.slice(0, -1) : noCr;
}

function withMarker(body: string, marker: string | undefined): string {
  return marker === undefined ? body : `${body}\n${marker}`;
}
