import type { Logger } from '../../runtime/logger.js';
import type { JournalEntry, JournalPosition, ReadEntry } from '../journal/journal-entry.js';
import type { JournalFeed } from '../journal/journal-feed.js';
import { JournalReader } from '../journal/journal-reader.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { CursorStore } from './cursor-store.js';
import type { Output } from './output.js';

/**
 * One output's delivery loop: read the journal from the output's cursor, hand batches to the
 * output, move the cursor when they are done, persist it. A failing target gets the same batch
 * again after a back-off (250 ms doubling to 30 s); nothing is skipped and the journal keeps
 * the alerts meanwhile. The cursor is persisted at most every `commitIntervalMs`, after the
 * journal is flushed that far, so a crash redelivers at most that much, which the outputs make
 * harmless (database: alert id as key; files: recover() finds what was written). That is 1 s for
 * local outputs, where each persist costs two flushes to disk and a replay costs nothing, and
 * 250 ms for remote ones, where a replay may reach a person (syslog, mail).
 *
 * Lag is visible: `status()` (for `ospatrol status`, which reads the cursor files), the cursor
 * file's lastError/failingSince, and log lines when an output starts failing, every minute while
 * it keeps failing, and when it recovers.
 */
export interface OutputRunnerOptions {
  output: Output;
  /** The journal (alert-journal.ts), or its mirror on the outputs' thread (journal-mirror.ts). */
  journal: JournalFeed;
  cursors: CursorStore;
  logger: Logger;
  /**
   * Most entries per deliver call (and about 8 MiB). Default 2048: a database writes each index
   * page a transaction touched once however many rows changed it (SQLite 10-20% cheaper than with
   * 512), and every output of a thread takes the same size so that they move together and each
   * line is parsed once for all of them (journal-feed.ts EntryCache). A power of two (write-steps.ts).
   */
  batchSize?: number;
  commitIntervalMs?: number;
  backoff?: BackoffOptions;
  now?: () => number;
  /** After each persisted cursor (the runtime prunes the journal). */
  onCommit?: () => void;
}

export interface RunnerStatus {
  output: string;
  target: string;
  /** Everything up to this seq is delivered. */
  seq: number;
  /** The journal's last seq. */
  head: number;
  lag: number;
  failing: boolean;
  lastError: string | undefined;
  failingSince: number | undefined;
  delivered: number;
}

interface Mark {
  seq: number;
  position: JournalPosition | undefined;
}

/** Between failure log lines while an output keeps failing. */
const FAILING_LOG_EVERY_MS = 60_000;

export class OutputRunner {
  readonly output: Output;
  private readonly journal: JournalFeed;
  private readonly cursors: CursorStore;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly lingerMs: number;
  private readonly commitIntervalMs: number;
  private readonly backoff: BackoffOptions;
  private readonly now: () => number;
  private readonly reader: JournalReader;
  private acked: Mark = { seq: 0, position: undefined };
  private committed: Mark = { seq: 0, position: undefined };
  private lastDelivered: ReadEntry | undefined;
  /** Read, not yet handed to the output: a partial batch waiting for more (Output.lingerMs). */
  private pending: ReadEntry[] = [];
  private lastDeliveryAt = -Infinity;
  private delivered = 0;
  private failures = 0;
  private lastError: string | undefined;
  private failingSince: number | undefined;
  private lastFailureLog = 0;
  private lastCommit = 0;
  private statusDirty = false;
  private wake: (() => void) | undefined;
  private wakeOnNotify = true;
  private stopRequested = false;
  private deadline = Infinity;
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly opts: OutputRunnerOptions) {
    this.output = opts.output;
    this.journal = opts.journal;
    this.cursors = opts.cursors;
    this.log = opts.logger;
    this.batchSize = opts.batchSize ?? 2048;
    this.lingerMs = opts.output.lingerMs ?? 0;
    this.commitIntervalMs = opts.commitIntervalMs ?? (opts.output.local ? 1000 : 250);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.now = opts.now ?? Date.now;
    this.reader = new JournalReader({
      dir: this.journal.dir,
      segments: () => this.journal.segments(),
      cache: this.journal.entryCache,
      onGap: (from, to) =>
        this.log.error('output: alerts were dropped from the journal before this output delivered them', {
          output: this.output.name,
          missing: `${from}-${to - 1}`,
        }),
      onBadLine: (position, error) => this.log.error('output: skipping an unreadable journal entry', { output: this.output.name, ...position, error }),
    });
  }

  /** The seq persisted in the cursor file: the journal may drop what is at or below it. */
  get committedSeq(): number {
    return this.committed.seq;
  }

  /** Loads the cursor (a new output starts at the end of the journal) and starts delivering. */
  start(): void {
    const cur = this.cursors.read(this.output.name, (msg, fields) => this.log.warn(msg, fields));
    if (cur) {
      this.acked = { seq: cur.seq, position: cur.position };
      this.delivered = cur.delivered ?? 0;
    } else {
      this.acked = { seq: this.journal.lastSeq, position: undefined };
    }
    this.committed = { ...this.acked };
    this.reader.seek(this.acked.seq, this.acked.position);
    if (cur?.state !== undefined && this.output.recover) this.recover(cur.state);
    this.output.setWake?.(() => this.onOutputAck());
    this.unsubscribe = this.journal.onAppend(() => this.notify());
    this.commit(true);
    this.loop = this.run().catch((err: unknown) => this.log.error('output: delivery loop stopped by a bug', { output: this.output.name, error: err }));
  }

  /** New entries in the journal (the runner listens to the journal itself). */
  notify(): void {
    if (this.wakeOnNotify) this.wake?.();
  }

  /**
   * Stops after delivering what it can before `deadlineMs` (or at once while the target is
   * failing), persists the cursor and closes the output. What is left waits in the journal.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopRequested = true;
    this.unsubscribe?.();
    this.deadline = this.now() + deadlineMs;
    this.wake?.();
    await this.loop;
  }

  status(): RunnerStatus {
    const head = this.journal.lastSeq;
    return {
      output: this.output.name,
      target: this.output.target,
      seq: this.acked.seq,
      head,
      lag: Math.max(0, head - this.acked.seq),
      failing: this.failures > 0 || this.output.lastError?.() !== undefined,
      lastError: this.lastError ?? this.output.lastError?.(),
      failingSince: this.failingSince,
      delivered: this.delivered,
    };
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.stopRequested && (this.failures > 0 || this.now() >= this.deadline)) break;
      if (this.pending.length < this.batchSize) {
        const more = this.reader.read(this.batchSize - this.pending.length);
        if (more.length > 0) this.pending = this.pending.length === 0 ? more : this.pending.concat(more);
      }
      if (this.pending.length === 0) {
        if (this.stopRequested) break;
        this.commitIfDue();
        await this.sleep(this.acked.seq !== this.committed.seq || this.statusDirty ? this.commitIntervalMs : 60_000, true);
        continue;
      }
      // While alerts keep coming, a partial batch waits up to lingerMs after the previous delivery
      // for more (woken by each append), so that a busy stream goes out in full batches.
      if (this.pending.length < this.batchSize && !this.stopRequested) {
        const wait = this.lastDeliveryAt + this.lingerMs - this.now();
        if (wait > 0) {
          await this.sleep(wait, true);
          continue;
        }
      }
      const entries = this.pending;
      this.pending = [];
      this.lastDeliveryAt = this.now();
      try {
        await this.bounded(this.output.deliver(entries));
        this.onDelivered(entries);
        // Yield to I/O between batches: a long backlog must not starve collection.
        await new Promise((r) => setImmediate(r));
      } catch (err) {
        this.onFailed(err);
        if (this.stopRequested) break;
        await this.sleep(backoffDelay(this.failures, this.backoff), false);
      }
    }
    if (this.output.flush && this.failures === 0) {
      try {
        await this.bounded(this.output.flush());
        this.onOutputAck();
      } catch (err) {
        this.log.warn('output: could not send what it held back; it is delivered at the next start', { output: this.output.name, error: err });
      }
    }
    this.commit(true);
    this.reader.close();
    try {
      await this.bounded(this.output.close());
    } catch (err) {
      this.log.error('output: closing failed', { output: this.output.name, error: err });
    }
  }

  /** After a crash: skip the entries the output already has (see Output.recover). */
  private recover(state: unknown): void {
    const probe = new JournalReader({ dir: this.journal.dir, segments: () => this.journal.segments(), cache: this.journal.entryCache });
    probe.seek(this.acked.seq, this.acked.position);
    const pulled: ReadEntry[] = [];
    let buffer: ReadEntry[] = [];
    const pending = (): JournalEntry | undefined => {
      if (buffer.length === 0) buffer = probe.read(256);
      const e = buffer.shift();
      if (e) pulled.push(e);
      return e;
    };
    try {
      const skip = Math.min(this.output.recover!(state, pending), pulled.length);
      if (skip > 0) {
        const end = pulled[skip - 1];
        this.acked = { seq: end.seq, position: end.next };
        this.reader.seek(end.seq, end.next);
        this.log.info('output: alerts written before the last stop were found in place; not writing them again', {
          output: this.output.name,
          alerts: skip,
        });
      }
    } catch (err) {
      this.log.warn('output: could not check what was written before the last stop; some alerts may be written twice', {
        output: this.output.name,
        error: err,
      });
    } finally {
      probe.close();
    }
  }

  private onDelivered(entries: readonly ReadEntry[]): void {
    const lastEntry = entries[entries.length - 1];
    this.lastDelivered = lastEntry;
    this.delivered += entries.length;
    if (this.failures > 0) {
      this.log.info('output: delivering again', {
        output: this.output.name,
        failed_for_s: Math.round((this.now() - (this.failingSince ?? this.now())) / 1000),
        lag: this.journal.lastSeq - lastEntry.seq,
      });
      this.statusDirty = true;
    }
    this.failures = 0;
    this.lastError = undefined;
    this.failingSince = undefined;
    const ack = this.output.acknowledged?.() ?? lastEntry.seq;
    this.advance(ack, entries);
    this.commitIfDue();
  }

  /** A held-back acknowledgement moved (a mail went out). */
  private onOutputAck(): void {
    const ack = this.output.acknowledged?.();
    if (ack === undefined) return;
    this.advance(ack, this.lastDelivered ? [this.lastDelivered] : []);
    if (this.output.eagerCommit) this.commit(true);
    else this.commitIfDue();
  }

  private advance(ack: number, recent: readonly ReadEntry[]): void {
    if (ack <= this.acked.seq) return;
    let position = this.acked.position;
    for (const e of recent) if (e.seq <= ack) position = e.next;
    this.acked = { seq: ack, position };
  }

  private onFailed(err: unknown): void {
    this.failures++;
    const now = this.now();
    this.failingSince ??= now;
    this.lastError = err instanceof Error ? err.message : String(err);
    this.statusDirty = true;
    // Hand the same entries again (and what a holding output forgets) after the back-off.
    this.pending = [];
    this.reader.seek(this.acked.seq, this.acked.position);
    this.output.reset?.();
    const fields = {
      output: this.output.name,
      target: this.output.target,
      error: this.lastError,
      lag: Math.max(0, this.journal.lastSeq - this.acked.seq),
      failures: this.failures,
    };
    if (this.failures === 1) {
      this.log.error('output: delivery failed; retrying with back-off, alerts wait in the journal', fields);
      this.lastFailureLog = now;
      this.commit(true);
    } else if (now - this.lastFailureLog >= FAILING_LOG_EVERY_MS) {
      this.log.warn('output: still failing', { ...fields, failing_for_s: Math.round((now - this.failingSince) / 1000) });
      this.lastFailureLog = now;
      this.commit(true);
    }
  }

  private commitIfDue(): void {
    if (this.acked.seq === this.committed.seq && !this.statusDirty) return;
    if (this.now() - this.lastCommit < this.commitIntervalMs) return;
    this.commit(false);
  }

  private commit(force: boolean): void {
    if (!force && this.acked.seq === this.committed.seq && !this.statusDirty) return;
    try {
      this.journal.syncThrough(this.acked.seq);
      this.cursors.write({
        output: this.output.name,
        target: this.output.target,
        seq: this.acked.seq,
        position: this.acked.position,
        updatedAt: this.now(),
        delivered: this.delivered,
        lastError: this.lastError ?? this.output.lastError?.(),
        failingSince: this.failingSince,
        state: this.output.cursorState?.(),
      });
      this.committed = { ...this.acked };
      this.lastCommit = this.now();
      this.statusDirty = false;
      this.opts.onCommit?.();
    } catch (err) {
      this.log.error('output: cannot save its cursor; alerts may be delivered twice after a restart', { output: this.output.name, error: err });
    }
  }

  /** Waits `ms`, or less when stopped, or (when `onNotify`) when new entries arrive. */
  private sleep(ms: number, onNotify: boolean): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      this.wakeOnNotify = onNotify;
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.wakeOnNotify = true;
        done();
      };
    });
  }

  /** While stopping, a delivery may not outlast the deadline (a hung server must not block shutdown). */
  private bounded<T>(work: T | Promise<T>): Promise<T> {
    const p = Promise.resolve(work);
    if (!this.stopRequested || this.deadline === Infinity) return p;
    p.catch(() => undefined);
    const left = Math.max(0, this.deadline - this.now());
    return Promise.race([
      p,
      new Promise<T>((_, reject) => setTimeout(() => reject(new Error('stop deadline passed')), left).unref()),
    ]);
  }
}
