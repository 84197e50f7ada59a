import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import type { Event } from '../../events/event.js';
import type { LogFormat } from '../../config/model.js';
import { SourceCounters, type SourceContext } from '../source.js';
import type { FileCheckpoint } from './checkpoints.js';
import { FileReader, type SafePoint } from './file-reader.js';
import { HEAD_BYTES, hashHead, identityKey, readHead, sameIdentity } from './fingerprint.js';
import { createFramer } from './framing.js';
import { fileReducedMessage, fileRotatedMessage, noticeLocation } from './messages.js';
import { checkpointMatches, findRenamed, lastLineStart } from './resume.js';

export interface TailerSettings {
  path: string;
  /** Event location: the alias if configured, else the path. */
  location: string;
  format: LogFormat;
  linesPerEvent: number;
  maxLineBytes: number;
  /** How long a rotated-away file keeps being read for late writes before it is closed. */
  rotateGraceMs: number;
  prefix: string;
  /** Emit OSSEC's rotation/truncation notices (messages.ts). */
  notices: boolean;
}

/** What tailers share, provided by the source. */
export interface TailerEnv {
  ctx: SourceContext;
  emit(event: Event): void;
  /** Monotonic ms for grace periods. */
  monotonic(): number;
  readBuffer: Buffer;
  /** A file this tailer is done with: its identity and end, for a later glob match of its new name. */
  retire(reader: FileReader): void;
  /** A path some other tailer follows (the rename search must not steal it). */
  isTracked(path: string): boolean;
}

/**
 * `end`: a file present at the very first start, with only-future-events (OSSEC's default).
 * `beginning`: every file seen later (it appeared, was recreated, matched a glob later): all of its
 * content is new to us.
 */
export type StartPolicy = 'end' | 'beginning';

interface Draining {
  reader: FileReader;
  until: number;
}

type Opened =
  | { kind: 'ok'; fh: FileHandle; st: BigIntStats }
  | { kind: 'missing' }
  | { kind: 'not-regular' }
  | { kind: 'error'; code: string; error: string };

/**
 * Follows one path across rotations (deps.md 11): each poll stats the path, checks the open file
 * for truncation, reads to EOF, and when the path names another file, keeps the old one in a
 * draining list (read for late writes for `rotateGraceMs`, then finished) and opens the new one
 * from offset 0. A missing path is retried on every poll forever (OSSEC gives up after ~2 min,
 * ossec-platform.md 1.6). A deleted file keeps being read through its handle until a new file
 * takes the name.
 */
export class Tailer {
  current: FileReader | undefined;
  private draining: Draining[] = [];
  private restore: FileCheckpoint | undefined;
  private restoreSearched = false;
  private policy: StartPolicy;
  private firstAttempt = true;
  /** Log each kind of trouble once until it clears, not on every poll. */
  private readonly reported = new Set<string>();

  constructor(
    readonly settings: TailerSettings,
    private readonly env: TailerEnv,
    init: { policy: StartPolicy; restore?: FileCheckpoint },
  ) {
    this.policy = init.policy;
    this.restore = init.restore;
  }

  get path(): string {
    return this.settings.path;
  }

  /** Every identity this tailer holds open (current and draining). */
  heldIdentities(): string[] {
    const ids = this.draining.map((d) => identityKey(d.reader.id));
    if (this.current) ids.push(identityKey(this.current.id));
    return ids;
  }

  /** One pass. Returns true when a read budget ran out and more data is waiting. */
  async poll(budget: number): Promise<boolean> {
    if (!this.current) await this.tryOpen();
    // Older content first: a rotated-away file's last lines precede the new file's first ones.
    let more = await this.pollDraining(budget);
    const cur = this.current;
    if (!cur) return more;

    const pathStat = await statOrNull(this.path);
    // Switch files only once the old one is read to its end.
    if (!(await this.readCurrent(cur, budget))) return true;

    if (pathStat === null) {
      this.report('deleted', 'info', 'file deleted; still reading the open handle until a new file takes the name');
      return more;
    }
    this.reported.delete('deleted');
    if (!sameIdentity(pathStat, cur.id)) {
      this.env.ctx.count(SourceCounters.LOGFILE_ROTATED);
      this.env.ctx.log('info', 'file rotated (inode changed); draining the old file, reading the new one from the start', { path: this.path });
      this.notice(fileRotatedMessage(this.settings.prefix, this.path));
      this.draining.push({ reader: cur, until: this.env.monotonic() + this.settings.rotateGraceMs });
      this.current = undefined;
      this.policy = 'beginning';
      await this.tryOpen();
      const next = this.current as FileReader | undefined;
      if (next) more ||= !(await this.readCurrent(next, budget));
    }
    return more;
  }

  /** The position to persist for this path, if any. */
  checkpoint(ackOnEmit: boolean): FileCheckpoint | undefined {
    const cur = this.current;
    if (!cur) return this.restore;
    const point = ackOnEmit ? cur.safe : cur.acked;
    return {
      path: this.path,
      dev: String(cur.id.dev),
      ino: String(cur.id.ino),
      pos: point.pos,
      skipping: point.skipping,
      headLen: cur.head.length,
      headHash: hashHead(cur.head),
    };
  }

  /**
   * Stop following. `drain`: read the current file to its end and deliver even an unterminated last
   * line (the path left the glob: nobody will read it again). Without it (process stop) the current
   * file is left at its checkpoint. Draining files are always read to the end and finished.
   */
  async close(drain: boolean): Promise<void> {
    for (const d of this.draining) await this.finishReader(d.reader);
    this.draining = [];
    const cur = this.current;
    this.current = undefined;
    if (!cur) return;
    if (drain) await this.finishReader(cur);
    else await cur.close();
  }

  /**
   * Read the followed file. A truncation seen before the read (size) or during it (head) restarts
   * the file from 0. Returns whether the end was reached.
   */
  private async readCurrent(cur: FileReader, budget: number): Promise<boolean> {
    let check = await cur.checkSize();
    // Bounded: content changing under us on every attempt is left for the next poll.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (check !== 'same') {
        this.env.ctx.count(SourceCounters.LOGFILE_TRUNCATED);
        this.env.ctx.log('info', check === 'truncated' ? 'file truncated; reading from the start' : 'file content replaced under the same inode; reading from the start', {
          path: this.path,
        });
        this.notice(fileReducedMessage(this.settings.prefix, this.path));
        cur.restartFromZero();
      }
      const r = await cur.readAvailable(this.env.readBuffer, budget);
      if (r.changed === undefined) return r.eof;
      check = r.changed;
    }
    return false;
  }

  private async pollDraining(budget: number): Promise<boolean> {
    let more = false;
    const keep: Draining[] = [];
    for (const d of this.draining) {
      let eof = true;
      try {
        const r = await d.reader.readAvailable(this.env.readBuffer, budget);
        // A rotated-away file being truncated too (copytruncate of the old name) ends it.
        eof = r.eof || r.changed !== undefined;
      } catch (e) {
        this.readFailed(e);
      }
      if (!eof) {
        more = true;
        keep.push(d);
      } else if (this.env.monotonic() >= d.until) {
        await this.finishReader(d.reader);
      } else {
        keep.push(d);
      }
    }
    this.draining = keep;
    return more;
  }

  private async finishReader(reader: FileReader): Promise<void> {
    try {
      for (;;) {
        const r = await reader.readAvailable(this.env.readBuffer, 1 << 30);
        if (r.eof || r.changed !== undefined) break;
      }
    } catch (e) {
      this.readFailed(e);
    }
    reader.finish();
    this.env.retire(reader);
    await reader.close();
  }

  private async tryOpen(): Promise<void> {
    const first = this.firstAttempt;
    this.firstAttempt = false;
    const opened = await openRegular(this.path);
    if (opened.kind !== 'ok') {
      if (first) this.policy = 'beginning'; // it did not exist at start: whatever appears is new
      if (this.restore && !this.restoreSearched) await this.resumeRenamed(this.restore);
      if (opened.kind === 'missing') {
        this.report('missing', 'info', 'file not found; waiting for it to appear');
      } else if (opened.kind === 'not-regular') {
        if (this.report('not-regular', 'warn', 'not a regular file; ignored until it is one')) this.env.ctx.count(SourceCounters.LOGFILE_NOT_REGULAR);
      } else if (this.report(`open:${opened.code}`, 'warn', 'cannot open file; will retry', { error: opened.error })) {
        this.env.ctx.count(SourceCounters.LOGFILE_OPEN_FAILED);
      }
      return;
    }
    for (const k of [...this.reported]) if (k !== 'deleted') this.reported.delete(k);

    const { fh, st } = opened;
    const size = Number(st.size);
    const id = { dev: st.dev, ino: st.ino };
    let start: SafePoint = { pos: 0, skipping: false };
    try {
      const cp = this.restore;
      if (cp) {
        this.restore = undefined;
        if (await checkpointMatches(fh, id, size, cp)) {
          start = { pos: cp.pos, skipping: cp.skipping };
        } else {
          this.env.ctx.log('info', 'file changed while stopped; reading it from the start', { path: this.path });
          if (!this.restoreSearched) await this.resumeRenamed(cp);
        }
      } else if (first && this.policy === 'end') {
        start = { pos: await lastLineStart(fh, size, this.settings.maxLineBytes), skipping: false };
      }
      this.policy = 'beginning';
      const head = await readHead(fh, Math.min(HEAD_BYTES, size));
      this.current = this.makeReader(fh, id, start, head);
    } catch (e) {
      await fh.close().catch(() => {});
      this.readFailed(e);
    }
  }

  /** The checkpointed file now lives under another name: read its unread rest first. */
  private async resumeRenamed(cp: FileCheckpoint): Promise<void> {
    this.restoreSearched = true;
    const renamed = await findRenamed(cp, (p) => this.env.isTracked(p));
    if (renamed === undefined) return;
    const opened = await openRegular(renamed);
    if (opened.kind !== 'ok') return;
    const { fh, st } = opened;
    const id = { dev: st.dev, ino: st.ino };
    try {
      if (!(await checkpointMatches(fh, id, Number(st.size), cp))) {
        await fh.close();
        return;
      }
      this.restore = undefined;
      this.env.ctx.log('info', 'file was rotated while stopped; reading the rest of the old file first', { path: this.path, renamed });
      const head = await readHead(fh, Math.min(HEAD_BYTES, Number(st.size)));
      const reader = this.makeReader(fh, id, { pos: cp.pos, skipping: cp.skipping }, head);
      this.draining.push({ reader, until: this.env.monotonic() + this.settings.rotateGraceMs });
    } catch (e) {
      await fh.close().catch(() => {});
      this.readFailed(e);
    }
  }

  private makeReader(fh: FileHandle, id: { dev: bigint; ino: bigint }, start: SafePoint, head: Buffer): FileReader {
    const { ctx } = this.env;
    let truncReported = false;
    return new FileReader(fh, id, start, head, createFramer(this.settings.format, this.settings.linesPerEvent), this.settings.maxLineBytes, {
      message: (text) => this.env.emit({ location: this.settings.location, message: text, receivedAt: ctx.now(), kind: 'localfile' }),
      lineTruncated: () => {
        ctx.count(SourceCounters.LOGFILE_LINE_TRUNCATED);
        if (!truncReported) {
          truncReported = true;
          ctx.log('warn', 'line longer than the limit; cut, rest of the line skipped (logged once per file)', {
            path: this.path,
            maxLineBytes: this.settings.maxLineBytes,
          });
        }
      },
      partialFlushed: () => ctx.count(SourceCounters.LOGFILE_PARTIAL_FLUSHED),
    });
  }

  private notice(message: string): void {
    if (!this.settings.notices) return;
    this.env.emit({ location: noticeLocation(this.settings.prefix), message, receivedAt: this.env.ctx.now(), kind: 'internal' });
  }

  private readFailed(e: unknown): void {
    this.env.ctx.count(SourceCounters.LOGFILE_READ_FAILED);
    this.env.ctx.log('warn', 'read error', { path: this.path, error: String(e) });
  }

  /** Logs the first occurrence of `key`; returns whether it logged. */
  private report(key: string, level: 'info' | 'warn', msg: string, data: Record<string, unknown> = {}): boolean {
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    this.env.ctx.log(level, msg, { path: this.path, ...data });
    return true;
  }
}

async function openRegular(path: string): Promise<Opened> {
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not hang the poll loop; it is rejected just below.
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', code, error: String(e) };
  }
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) {
      await fh.close();
      return { kind: 'not-regular' };
    }
    return { kind: 'ok', fh, st };
  } catch (e) {
    await fh.close().catch(() => {});
    return { kind: 'error', code: (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN', error: String(e) };
  }
}

async function statOrNull(path: string): Promise<BigIntStats | null> {
  try {
    return await stat(path, { bigint: true });
  } catch {
    return null;
  }
}
