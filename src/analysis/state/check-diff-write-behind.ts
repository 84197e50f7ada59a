import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckDiffStore, DiffEntry, DiffKey, FileCheckDiffStore } from './check-diff-store.js';

/** How long a changed output may wait in memory (and in the log) before its file is rewritten. */
const DEFAULT_DELAY_MS = 1000;

interface Pending {
  key: DiffKey;
  /** The newest text, when one waits. */
  text: string | undefined;
  /** The newest option state: a string, null to remove it, undefined when none waits. */
  extra: string | null | undefined;
}

type LogRecord = ['t' | 'x', string, number, string, string | null];

/** Outputs kept in memory after they reached their files, so the next run's read needs no disk. */
const CLEAN_MAX_ENTRIES = 4096;
const CLEAN_MAX_CHARS = 32 * 1024 * 1024;

/**
 * check_diff state with the file writes taken off the event path. Each change is appended to one
 * log (`queue/diff-pending.log`: one write(2) on an open descriptor) and kept in memory; about once
 * a second the newest text of each (host, rule, location) goes to its OSSEC-layout file
 * (FileCheckDiffStore: open, write, rename, three times over for a new slot) and the log is emptied.
 * A command run every few seconds, or a burst of outputs, thus costs one file rewrite per second
 * instead of one per output: in local mode those renames were a fifth of the main thread (bench/).
 *
 * Nothing is lost when the process dies: the log is read back, and its records applied, before the
 * first read after a start (a torn last record, cut by the crash, is skipped: its output was
 * never compared, as its event's alert never reached the journal either). Like the files, the log
 * is not fsynced: a machine crash may take the state back to an earlier output.
 */
export class WriteBehindCheckDiffStore implements CheckDiffStore {
  private readonly logFile: string;
  private readonly delayMs: number;
  private readonly pending = new Map<string, Pending>();
  /** What the files hold, for keys read or written lately (insertion order: oldest first). */
  private readonly clean = new Map<string, { text: string; extra: string | undefined }>();
  private cleanChars = 0;
  private fd: number | undefined;
  private recovered = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly inner: FileCheckDiffStore,
    opts: { delayMs?: number } = {},
  ) {
    this.logFile = join(dirname(inner.root), 'diff-pending.log');
    this.delayMs = opts.delayMs ?? DEFAULT_DELAY_MS;
  }

  read(host: string, ruleId: number): string | undefined {
    this.flush();
    return this.inner.read(host, ruleId);
  }

  write(host: string, ruleId: number, output: string): void {
    this.flush();
    // OSSEC's slot may be a located key's file too: what is remembered may no longer be on disk.
    this.clean.clear();
    this.cleanChars = 0;
    this.inner.write(host, ruleId, output);
  }

  readEntry(key: DiffKey, adopt?: (stored: string) => boolean): DiffEntry | undefined {
    this.recover();
    const k = keyOf(key);
    const p = this.pending.get(k);
    const known = this.clean.get(k);
    if (p === undefined && known !== undefined) return { text: known.text, extra: known.extra, adopted: false };
    if (p !== undefined && p.text !== undefined && p.extra !== undefined) return { text: p.text, extra: p.extra ?? undefined, adopted: false };
    const disk = known !== undefined ? { ...known, adopted: false } : this.inner.readEntry(key, adopt);
    // Once read, the file is this key's (an adopted OSSEC file is owned now): later reads are plain.
    if (disk !== undefined && known === undefined && p === undefined) this.remember(k, disk.text, disk.extra);
    if (p === undefined) return disk;
    const text = p.text ?? disk?.text;
    if (text === undefined) return undefined;
    const extra = p.extra !== undefined ? (p.extra ?? undefined) : disk?.extra;
    return { text, extra, adopted: p.text === undefined && disk !== undefined && disk.adopted };
  }

  writeText(key: DiffKey, text: string): void {
    this.recover();
    if (!this.append(['t', key.host, key.ruleId, key.location, text])) {
      this.inner.writeText(key, text);
      return;
    }
    this.entry(key).text = text;
    this.schedule();
  }

  writeExtra(key: DiffKey, extra: string | undefined): void {
    this.recover();
    if (!this.append(['x', key.host, key.ruleId, key.location, extra ?? null])) {
      this.inner.writeExtra(key, extra);
      return;
    }
    this.entry(key).extra = extra ?? null;
    this.schedule();
  }

  /** Writes every waiting change to its file, then empties the log. Throws on I/O errors. */
  flush(): void {
    this.recover();
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.size === 0) return;
    for (const [k, p] of this.pending) {
      if (p.text !== undefined) this.inner.writeText(p.key, p.text);
      if (p.extra !== undefined) this.inner.writeExtra(p.key, p.extra ?? undefined);
      this.pending.delete(k);
      const before = this.clean.get(k);
      const text = p.text ?? before?.text;
      if (text !== undefined) this.remember(k, text, p.extra !== undefined ? (p.extra ?? undefined) : before?.extra);
      else this.forget(k);
    }
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
  }

  /** Flushes and closes the log (the store opens it again if used later). */
  close(): void {
    this.flush();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private remember(k: string, text: string, extra: string | undefined): void {
    this.forget(k);
    this.clean.set(k, { text, extra });
    this.cleanChars += text.length + (extra?.length ?? 0);
    for (const [old, v] of this.clean) {
      if (this.clean.size <= CLEAN_MAX_ENTRIES && this.cleanChars <= CLEAN_MAX_CHARS) break;
      this.clean.delete(old);
      this.cleanChars -= v.text.length + (v.extra?.length ?? 0);
    }
  }

  private forget(k: string): void {
    const v = this.clean.get(k);
    if (v === undefined) return;
    this.clean.delete(k);
    this.cleanChars -= v.text.length + (v.extra?.length ?? 0);
  }

  private entry(key: DiffKey): Pending {
    const k = keyOf(key);
    let p = this.pending.get(k);
    if (p === undefined) {
      p = { key, text: undefined, extra: undefined };
      this.pending.set(k, p);
    }
    return p;
  }

  /** One record at the end of the log; false when it cannot be written (the caller writes through). */
  private append(record: LogRecord): boolean {
    try {
      if (this.fd === undefined) {
        mkdirSync(dirname(this.logFile), { recursive: true, mode: 0o700 });
        this.fd = openSync(this.logFile, 'a', 0o600);
      }
      const buf = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
      return true;
    } catch {
      return false;
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch {
        // The changes stay in memory and in the log; tried again after the next change or at
        // close(), which throws what still fails.
      }
    }, this.delayMs);
    this.timer.unref();
  }

  /** Once, before the first use: applies what a previous process left in the log. */
  private recover(): void {
    if (this.recovered) return;
    this.recovered = true;
    if (!existsSync(this.logFile)) return;
    const lines = readFileSync(this.logFile, 'utf8').split('\n');
    for (const line of lines) {
      let r: LogRecord;
      try {
        r = JSON.parse(line) as LogRecord;
      } catch {
        continue; // the empty tail, or a record cut by the crash
      }
      if (!Array.isArray(r) || r.length !== 5 || typeof r[1] !== 'string' || typeof r[2] !== 'number' || typeof r[3] !== 'string') continue;
      const p = this.entry({ host: r[1], ruleId: r[2], location: r[3] });
      if (r[0] === 't' && typeof r[4] === 'string') p.text = r[4];
      else if (r[0] === 'x') p.extra = typeof r[4] === 'string' ? r[4] : null;
    }
    this.fd = openSync(this.logFile, 'a', 0o600);
    this.flush();
    // Also drops a torn record, which would otherwise run into the next one appended.
    ftruncateSync(this.fd, 0);
  }
}

function keyOf(key: DiffKey): string {
  return `${key.ruleId}\u0000${key.host}\u0000${key.location}`;
}
