import { Worker } from 'node:worker_threads';
import type { OspatrolConfig } from '../config/model.js';
import { backoffDelay } from '../sinks/delivery/backoff.js';
import type { RunnerStatus } from '../sinks/delivery/output-runner.js';
import type { AlertJournal } from '../sinks/journal/alert-journal.js';
import type { Logger } from './logger.js';
import { deserializeError, type FromWorker, type OutputWorkerData, type ToWorker } from './output-protocol.js';

export interface OutputHostOptions {
  stateDir: string;
  journal: AlertJournal;
  logger: Logger;
  version: string;
  emailGroupDelayMs?: number;
}

/** Appends between two reports of the journal's head while a long run of alerts comes in. */
const HEAD_EVERY = 256;

const RESTART_BACKOFF = { initialMs: 1000, maxMs: 60_000 };

/**
 * Local mode's outputs on a thread of their own (output-worker.ts), driven from the main thread,
 * which keeps collection, analysis and the journal: the outputs' work (formatting, file writes,
 * SQLite transactions, network clients) runs beside analysis on another core instead of taking
 * turns with it.
 *
 * The journal stays the one way alerts reach outputs: the main thread appends each alert (to the
 * kernel, before anything else sees it), then reports the journal's head to the outputs' thread
 * (once per run of appends, at the latest when the current task ends), which reads the new entries
 * from the files. Cursors are persisted by the outputs' thread, after flushing the journal that
 * far; it reports the lowest one back and the main thread prunes the journal.
 *
 * Should the thread die (a bug), the alerts wait in the journal, the error is logged and the
 * thread is started again with the same configuration, each output resuming from its cursor.
 */
export class OutputHost {
  private worker: Worker | undefined;
  private statusCache: RunnerStatus[] = [];
  private running: { config: OspatrolConfig; hostname: string } | undefined;
  private waiting: { type: 'started' | 'stopped'; resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  private ops: Promise<unknown> = Promise.resolve();
  private sent = { lastSeq: -1, syncedSeq: -1, segments: [] as number[] };
  private pending = 0;
  private flushQueued = false;
  private closed = false;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: OutputHostOptions) {
    this.unsubscribe = opts.journal.onAppend(() => this.appended());
  }

  /** Each output's cursor and lag as last reported (the live form of `ospatrol status`). */
  status(): RunnerStatus[] {
    return this.statusCache;
  }

  /**
   * Builds the configuration's outputs on the outputs' thread and starts their delivery loops.
   * Rejects with the output's error when one cannot open (nothing is then running).
   */
  start(config: OspatrolConfig, hostname: string): Promise<string[]> {
    return this.serial(async () => {
      const reply = await this.startWorkerOutputs(config, hostname);
      this.running = { config, hostname };
      return reply;
    });
  }

  /** Stops every output (local ones drain, remote ones get a few seconds); their final state. */
  stopOutputs(): Promise<RunnerStatus[]> {
    return this.serial(async () => {
      this.running = undefined;
      if (this.restartTimer) clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      if (!this.worker) return this.statusCache;
      this.flushHead();
      const reply = await this.request({ type: 'stop' }, 'stopped').catch(() => undefined);
      if (reply?.type === 'stopped') this.statusCache = reply.status;
      return this.statusCache;
    });
  }

  /** Ends the thread (after stopOutputs). */
  close(): Promise<void> {
    return this.serial(async () => {
      this.closed = true;
      this.unsubscribe();
      if (this.restartTimer) clearTimeout(this.restartTimer);
      const w = this.worker;
      this.worker = undefined;
      if (w) await w.terminate();
    });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const p = this.ops.then(op);
    this.ops = p.catch(() => undefined);
    return p;
  }

  private async startWorkerOutputs(config: OspatrolConfig, hostname: string): Promise<string[]> {
    if (this.closed) throw new Error('outputs are closed');
    if (!this.worker) this.spawn();
    this.flushHead();
    const reply = await this.request({ type: 'start', config, hostname }, 'started');
    if (reply.type !== 'started') throw new Error('unexpected answer from the outputs thread');
    if (reply.error) throw deserializeError(reply.error);
    return reply.outputs;
  }

  private spawn(): void {
    const j = this.opts.journal;
    const head = { lastSeq: j.lastSeq, syncedSeq: j.syncedSeq, segments: [...j.segments()] };
    const data: OutputWorkerData = {
      stateDir: this.opts.stateDir,
      journalDir: j.dir,
      version: this.opts.version,
      emailGroupDelayMs: this.opts.emailGroupDelayMs,
      head,
    };
    const w = new Worker(new URL('./output-worker.js', import.meta.url), { workerData: data });
    this.sent = { ...head, segments: [...head.segments] };
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (err) => this.opts.logger.error('outputs: their thread failed', { error: err }));
    w.on('exit', (code) => this.onExit(w, code));
    this.worker = w;
  }

  private request(m: ToWorker, answer: 'started' | 'stopped'): Promise<FromWorker> {
    const w = this.worker;
    if (!w) return Promise.reject(new Error('the outputs thread is not running'));
    return new Promise((resolve, reject) => {
      this.waiting = { type: answer, resolve, reject };
      w.postMessage(m);
    });
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'log':
        this.opts.logger[m.level](m.msg, m.fields);
        return;
      case 'committed':
        this.statusCache = m.status;
        this.crashes = 0;
        if (Number.isFinite(m.seq)) this.opts.journal.prune(m.seq);
        this.flushHead();
        return;
      case 'started':
      case 'stopped': {
        const w = this.waiting;
        if (w?.type === m.type) {
          this.waiting = undefined;
          w.resolve(m);
        }
        return;
      }
    }
  }

  private onExit(w: Worker, code: number): void {
    if (w !== this.worker) return;
    this.worker = undefined;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(new Error(`the outputs thread exited (code ${code})`));
    if (this.closed || !this.running) return;
    this.crashes++;
    const delay = backoffDelay(this.crashes, RESTART_BACKOFF);
    this.opts.logger.error('outputs: their thread stopped; alerts wait in the journal, starting it again', { code, in_ms: delay });
    const { config, hostname } = this.running;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.serial(async () => {
        if (this.closed || !this.running || this.worker) return;
        try {
          await this.startWorkerOutputs(config, hostname);
          this.opts.logger.info('outputs: their thread runs again');
        } catch (err) {
          this.opts.logger.error('outputs: cannot start their thread again', { error: err });
          // Ending it brings the next attempt (onExit), later.
          void (this.worker as Worker | undefined)?.terminate();
        }
      });
    }, delay);
  }

  /** After each append: the head is reported at the end of the current task, or every HEAD_EVERY appends. */
  private appended(): void {
    if (++this.pending >= HEAD_EVERY) {
      this.flushHead();
      return;
    }
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flushHead();
    });
  }

  /** Reports the journal's head to the outputs' thread if it moved. */
  private flushHead(): void {
    this.pending = 0;
    const w = this.worker;
    if (!w) return;
    const j = this.opts.journal;
    const segs = j.segments();
    const prev = this.sent.segments;
    const segmentsChanged = segs.length !== prev.length || segs[0] !== prev[0] || segs[segs.length - 1] !== prev[prev.length - 1];
    if (!segmentsChanged && j.lastSeq === this.sent.lastSeq && j.syncedSeq === this.sent.syncedSeq) return;
    const m: ToWorker = { type: 'head', lastSeq: j.lastSeq, syncedSeq: j.syncedSeq };
    if (segmentsChanged) m.segments = [...segs];
    w.postMessage(m);
    this.sent = { lastSeq: j.lastSeq, syncedSeq: j.syncedSeq, segments: segmentsChanged ? m.segments! : prev };
  }
}
