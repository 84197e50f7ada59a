import { fullOutputMessage } from '../sources/command/messages.js';

/**
 * How `ospatrol logtest` turns its input into events, so that check_diff rules can be tested with
 * a sequence of multi-line command outputs (Wazuh #9715 asks for exactly this):
 *
 * - by default each line is one event (ossec-logtest; lines shorter than 2 characters are skipped);
 * - `--record-separator SEP`: lines are gathered until a line that is exactly SEP, and the lines
 *   gathered (joined with newlines) are one event; the input's end ends the last record; an
 *   empty record is no event;
 * - `--full-command ALIAS`: each record is the output of a full_command with that alias, and the
 *   event is what the command source would emit for it (`<prefix>: output: 'ALIAS':` and a newline
 *   before the output); an empty record is no event, as a command that prints nothing emits none.
 */
export interface RecordOptions {
  separator?: string;
  fullCommand?: string;
  /** `<global><command_prefix>` (ospatrol or ossec). */
  prefix: string;
}

/**
 * Turns input lines into event messages, synchronously: one call per line, so logtest handles
 * each line as readline emits it, with no promise per line (that was a tenth of `logtest -a`).
 */
export class RecordSplitter {
  private gathered: string[] | undefined;

  constructor(private readonly opts: RecordOptions) {}

  /** The message this line completes, if any. */
  line(line: string): string | undefined {
    if (this.opts.separator === undefined) return this.emit(line);
    if (line !== this.opts.separator) {
      (this.gathered ??= []).push(line);
      return undefined;
    }
    const m = this.emit((this.gathered ?? []).join('\n'));
    this.gathered = undefined;
    return m;
  }

  /** At the end of input: the last record, if one was being gathered. */
  end(): string | undefined {
    if (this.gathered === undefined) return undefined;
    const m = this.emit(this.gathered.join('\n'));
    this.gathered = undefined;
    return m;
  }

  private emit(record: string): string | undefined {
    const opts = this.opts;
    if (opts.fullCommand !== undefined) return record === '' ? undefined : fullOutputMessage(opts.prefix, opts.fullCommand, record);
    // ossec-logtest skips lines shorter than 2 characters; a record is skipped only when empty.
    return record.length < (opts.separator === undefined ? 2 : 1) ? undefined : record;
  }
}
