import type { LogFormat } from '../../config/model.js';

/**
 * Turns lines into event texts for one `log_format`. `pending` tells the reader whether lines are
 * held back (an incomplete multi-line group): the checkpoint must then stay before them.
 */
export interface Framer {
  push(line: string): string | undefined;
  /** The file ends here (rotated away, truncated): whatever is held, as one event. */
  flush(): string | undefined;
  readonly pending: boolean;
}

/**
 * Formats with their own reader in OSSEC that we read line by line for now (a warning is logged
 * once per file). snort-full is read line by line by OSSEC itself (ossec-platform.md 1.3).
 */
export const LINE_BY_LINE_FALLBACK: ReadonlySet<LogFormat> = new Set<LogFormat>([
  'nmapg',
  'mysql_log',
  'postgresql_log',
  'djb-multilog',
  'ossecalert',
  'eventlog',
  'eventchannel',
]);

export function createFramer(format: LogFormat, linesPerEvent: number): Framer {
  if (format === 'multi-line' && linesPerEvent > 1) return new MultiLineFramer(linesPerEvent);
  return new SingleLineFramer();
}

/**
 * One line, one event. Empty lines are dropped: they carry nothing for the decoders, and the
 * command source drops them too (command/messages.ts).
 */
class SingleLineFramer implements Framer {
  readonly pending = false;
  push(line: string): string | undefined {
    return line === '' ? undefined : line;
  }
  flush(): string | undefined {
    return undefined;
  }
}

/**
 * `multi-line:N`: N consecutive lines joined with single spaces, exactly as OSSEC's
 * read_multiline.c appends: a space is added only when the buffer is non-empty, so a leading empty
 * line adds nothing and an empty line in the middle leaves two spaces. Unlike OSSEC, an incomplete
 * group at the end of the data is kept until its lines arrive instead of being thrown away.
 */
class MultiLineFramer implements Framer {
  private buffer = '';
  private count = 0;

  constructor(private readonly n: number) {}

  get pending(): boolean {
    return this.count > 0;
  }

  push(line: string): string | undefined {
    this.buffer = this.buffer === '' ? line : `${this.buffer} ${line}`;
    this.count++;
    if (this.count < this.n) return undefined;
    return this.take();
  }

  flush(): string | undefined {
    return this.count > 0 ? this.take() : undefined;
  }

  private take(): string | undefined {
    const out = this.buffer;
    this.buffer = '';
    this.count = 0;
    return out === '' ? undefined : out;
  }
}
