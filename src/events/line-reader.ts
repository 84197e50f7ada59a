/**
 * Lines of text from a stream, as `readline` with `crlfDelay: Infinity` gives them: `\n`, `\r\n`
 * and `\r` end a line (a `\r\n` split across two chunks is one end), the last line needs no end,
 * and UTF-8 characters split across chunks are joined. Written for logtest's input, where
 * readline's own splitting cost about 4% of the run (0.64 µs a line).
 *
 * As with readline, pause() pauses the stream: the lines of the chunk already read are still
 * delivered.
 */
export class LineReader {
  /** Resolves once the last line was delivered; rejects on a stream error. */
  readonly done: Promise<void>;
  private carry = '';
  /** The last chunk ended with `\r`: a `\n` at the start of the next one ends nothing. */
  private afterCr = false;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly onLine: (line: string) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      input.setEncoding('utf8');
      input.on('data', (chunk: string) => this.feed(chunk));
      input.once('end', () => {
        if (this.carry !== '') {
          const last = this.carry;
          this.carry = '';
          this.onLine(last);
        }
        resolve();
      });
      input.once('error', reject);
    });
  }

  pause(): void {
    this.input.pause();
  }

  resume(): void {
    this.input.resume();
  }

  private feed(chunk: string): void {
    if (chunk === '') return;
    let text = chunk;
    let start = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 0x0a) start = 1;
    }
    if (this.carry !== '') {
      text = this.carry + text.slice(start);
      start = 0;
      this.carry = '';
    }
    const n = text.length;
    let nl = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    for (;;) {
      if (nl < 0 && cr < 0) break;
      let end: number;
      let next: number;
      if (cr < 0 || (nl >= 0 && nl < cr)) {
        end = nl;
        next = nl + 1;
      } else {
        end = cr;
        next = cr + 1;
        if (next === n) this.afterCr = true;
        else if (text.charCodeAt(next) === 0x0a) next++;
      }
      this.onLine(text.slice(start, end));
      start = next;
      if (nl >= 0 && nl < start) nl = text.indexOf('\n', start);
      if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    }
    if (start < n) this.carry = text.slice(start);
  }
}
