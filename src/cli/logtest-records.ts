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

export async function* logtestMessages(lines: AsyncIterable<string>, opts: RecordOptions): AsyncGenerator<string> {
  const emit = (record: string): string | undefined => {
    if (opts.fullCommand !== undefined) return record === '' ? undefined : fullOutputMessage(opts.prefix, opts.fullCommand, record);
    // ossec-logtest skips lines shorter than 2 characters; a record is skipped only when empty.
    return record.length < (opts.separator === undefined ? 2 : 1) ? undefined : record;
  };
  if (opts.separator === undefined) {
    for await (const line of lines) {
      const m = emit(line);
      if (m !== undefined) yield m;
    }
    return;
  }
  let gathered: string[] | undefined;
  for await (const line of lines) {
    if (line === opts.separator) {
      const m = emit((gathered ?? []).join('\n'));
      gathered = undefined;
      if (m !== undefined) yield m;
    } else (gathered ??= []).push(line);
  }
  if (gathered !== undefined) {
    const m = emit(gathered.join('\n'));
    if (m !== undefined) yield m;
  }
}
