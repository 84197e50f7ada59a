import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Event } from '../../events/event.js';
import { DecodeDetail } from '../decoders/decode.js';
import type { ForwardedAlert } from '../decoders/types.js';
import type { Engine } from '../engine.js';
import type { EventInfo } from '../event-info.js';
import { BatchDecoder, decoderRefs, type EncodedBatch } from './codec.js';
import { eachEvent, type BatchIn, type Run, type StatelessWorkers, type WorkersListener } from './stateless-workers.js';

/**
 * One event ready for the stateful rules: decoded, with `prepassed` (the nodes whose stateless
 * filters passed, RuleEngine.preEvaluate) when a worker did it, undefined when done on this thread.
 */
export type Consume = (lf: EventInfo, detail: DecodeDetail, forwarded: ForwardedAlert | undefined, prepassed: readonly number[] | undefined) => void;

export interface ParallelAnalyzerOptions<M> {
  /** The engine on this thread: it runs the stateful rules, and everything while no worker is ready. */
  engine: Engine;
  /** Worker threads (already started, e.g. before the engine was loaded, or none yet). */
  workers: StatelessWorkers;
  /** Each event, in submission order. */
  consume: Consume;
  /**
   * Taken when events leave for a worker: a note of everything submitted so far (e.g. the
   * sources' read positions), handed to afterBatch once those events are consumed.
   */
  mark?: () => M;
  /** After a run of consumed events, with the mark taken when the last of them was submitted. */
  afterBatch?: (mark: M) => void;
  /**
   * When the first worker starts: `now` (a long input is known to come, as in logtest), or `busy`
   * (default): once this thread has been saturated for `firstBusyMs` (a daemon at rest needs none).
   */
  start?: 'now' | 'busy';
  /** A worker thread was started because of load (workers: how many now). */
  onGrow?: (workers: number) => void;
  /** Saturation, in ms, before the first worker is started (default 500; see resize()). */
  firstBusyMs?: number;
  /** Saturation, in ms, before another worker is started (default 1000). */
  busyMs?: number;
  /** With nothing to analyse for this long, the workers are stopped (default 60 s; `start: 'now'`: never). */
  idleMs?: number;
  /** Workers were stopped after idleMs at rest (workers: how many). */
  onRetire?: (workers: number) => void;
  batchSize?: number;
  /** Batches waiting or in flight per thread before room() asks the producer to wait (default 8). */
  maxInFlight?: number;
  /** Batches a worker holds at once (default 8): enough that it never waits while this thread is busy. */
  perWorker?: number;
  /** An event that could not be decoded here (it is counted in `failed` and dropped). */
  warn?: (message: string) => void;
}

interface InFlight<M> {
  batch: BatchIn;
  mark: M | undefined;
  /** Posted to a worker and not answered yet. */
  posted: boolean;
  /** The worker's answer, once it came. */
  events: EncodedBatch | undefined;
  /** Decoded and prefiltered on this thread ahead of its turn (null: an event that threw). */
  prepared: (Prepared | null)[] | undefined;
}

interface Prepared {
  lf: EventInfo;
  forwarded: ForwardedAlert | undefined;
  passed: number[];
  slots: (string | undefined)[];
}

const CHECK_MS = 250;

/**
 * The engine on every core, with the results of one thread. Events go in by `submit`, in order;
 * they come out by `consume`, in the same order. While no worker is ready (at rest, or while one
 * loads) an event is analysed right here, at once. Under load, events go in batches to worker
 * threads (stateless-worker.ts) that pre-decode, decode and run the rules' stateless filters; this
 * thread takes the batches back in order and runs, event by event, what depends on earlier events
 * (check_diff, first-time-seen, lists, history searches, ignore timers), reading the stateless
 * results instead of computing them.
 *
 * The work is shared, not handed off: a worker holds at most `perWorker` batches, and when this
 * thread waits for the batch whose turn it is, it does the stateless work of the next batch no
 * worker has taken. So on two cores one worker keeps both busy, whichever side is faster, without
 * a third thread competing for them. A worker that dies hands its batches back.
 *
 * Workers start one at a time: the first once this thread is saturated (or at once), another once
 * this thread and every worker have been saturated for `busyMs`. Each costs its own copy of the
 * rules (memory, and about as much CPU to load as this thread took) and its own JIT warm-up, so
 * short bursts are cheaper on fewer threads; after `idleMs` with nothing to do they are stopped.
 */
export class ParallelAnalyzer<M = undefined> implements WorkersListener {
  /** The engine this analyzer feeds (the owner closes it once drained). */
  readonly engine: Engine;
  private readonly workers: StatelessWorkers;
  private readonly consume: Consume;
  private readonly mark: (() => M) | undefined;
  private readonly afterBatch: ((mark: M) => void) | undefined;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly perWorker: number;
  private readonly busyMs: number;
  private readonly firstBusyMs: number;
  private readonly onGrow: (workers: number) => void;
  private readonly warn: (message: string) => void;
  private readonly onRetire: (workers: number) => void;
  private readonly idleMs: number;
  private lastBusy = performance.now();
  private readonly refs;
  private readonly detail = new DecodeDetail(false);
  /** Every batch not consumed yet, by sequence number. */
  private readonly inFlight = new Map<number, InFlight<M>>();
  /** Batches no worker holds and not prepared here, oldest first. */
  private unsent: number[] = [];
  private sent = 0;
  private next = 0;
  private messages: string[] = [];
  private runs: Run[] = [];
  private flushScheduled = false;
  private pumpScheduled = false;
  private settleScheduled = false;
  private roomWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private mainElu: EventLoopUtilization = performance.eventLoopUtilization();
  private busySince: number | undefined;
  private closed = false;
  /** Events that could not be analysed (counted, never fatal). */
  failed = 0;

  constructor(opts: ParallelAnalyzerOptions<M>) {
    this.engine = opts.engine;
    this.workers = opts.workers;
    this.consume = opts.consume;
    this.mark = opts.mark;
    this.afterBatch = opts.afterBatch;
    this.batchSize = opts.batchSize ?? 256;
    this.maxInFlight = opts.maxInFlight ?? 8;
    this.perWorker = opts.perWorker ?? 8;
    this.busyMs = opts.busyMs ?? 1000;
    this.firstBusyMs = opts.firstBusyMs ?? 500;
    this.onGrow = opts.onGrow ?? (() => {});
    this.warn = opts.warn ?? (() => {});
    this.onRetire = opts.onRetire ?? (() => {});
    this.idleMs = opts.start === 'now' ? Infinity : (opts.idleMs ?? 60_000);
    this.refs = decoderRefs(this.engine.decoders);
    this.workers.listener = this;
    this.workers.expectShape(this.engine.ruleset.shape);
    if (opts.start === 'now' && this.workers.size === 0) this.workers.grow();
    this.timer = setInterval(() => this.resize(), CHECK_MS);
    this.timer.unref();
  }

  /** Analyse `event` after every event submitted before it. */
  submit(event: Event): void {
    if (this.messages.length === 0 && this.inFlight.size === 0 && this.workers.readyCount === 0) {
      this.here(event);
      this.settleSoon();
      return;
    }
    const last = this.runs.length > 0 ? this.runs[this.runs.length - 1] : undefined;
    if (last !== undefined && last.location === event.location && last.receivedAt === event.receivedAt && last.kind === event.kind && last.agent === event.agent) {
      last.count++;
    } else {
      this.runs.push({ count: 1, location: event.location, kind: event.kind, receivedAt: event.receivedAt, agent: event.agent });
    }
    this.messages.push(event.message);
    if (this.messages.length >= this.batchSize) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Undefined when the producer may go on; else a promise resolved once there is room again (a
   * producer that can wait, like a file being read, should).
   */
  room(): Promise<void> | undefined {
    if (this.inFlight.size < this.maxInFlight * (1 + this.workers.readyCount)) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves once every event submitted so far was consumed. */
  drain(): Promise<void> {
    this.flush();
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops the workers. Call drain() first: what is still in flight is dropped. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.workers.close();
  }

  /** A worker answered. */
  done(seq: number, events: EncodedBatch): void {
    const e = this.inFlight.get(seq);
    if (e !== undefined) {
      e.events = events;
      e.posted = false;
    }
    this.dispatch();
    this.pump();
  }

  /** A worker died before answering these: they wait for another thread again. */
  lost(seqs: number[]): void {
    for (const s of seqs) {
      const e = this.inFlight.get(s);
      if (e !== undefined && e.posted && e.events === undefined) {
        e.posted = false;
        this.unsent.push(s);
      }
    }
    this.unsent.sort((a, b) => a - b);
    this.dispatch();
    this.pump();
  }

  /** A worker became ready: batches waiting for one are posted. */
  ready(): void {
    this.dispatch();
    this.pump();
  }

  /**
   * Events analysed at once, on submit: afterBatch runs once the current burst is over, if by then
   * nothing is in flight, so that the mark it gets covers only consumed events. (When something
   * is in flight, that batch's own mark covers these events too.)
   */
  private settleSoon(): void {
    if (this.settleScheduled || this.afterBatch === undefined) return;
    this.settleScheduled = true;
    setImmediate(() => {
      this.settleScheduled = false;
      if (this.inFlight.size === 0 && this.messages.length === 0) this.afterBatch?.(this.mark?.() as M);
    });
  }

  /** Makes a batch of the events gathered so far. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.messages.length === 0) return;
    const batch: BatchIn = { seq: this.sent++, messages: this.messages, runs: this.runs };
    this.messages = [];
    this.runs = [];
    this.inFlight.set(batch.seq, { batch, mark: this.mark?.(), posted: false, events: undefined, prepared: undefined });
    this.unsent.push(batch.seq);
    this.dispatch();
    this.pump();
  }

  /** Hands waiting batches, oldest first, to workers that hold fewer than perWorker. */
  private dispatch(): void {
    while (this.unsent.length > 0) {
      const e = this.inFlight.get(this.unsent[0]);
      if (e === undefined || !this.workers.post(e.batch, this.perWorker)) return;
      e.posted = true;
      this.unsent.shift();
    }
  }

  /**
   * Consumes, in order, every batch whose turn it is: answered by a worker, prepared here, or held
   * by nobody (then done here and now). While the batch whose turn it is is still on a worker,
   * prepares the oldest batch nobody holds, then lets the workers' answers in before going on.
   */
  private pump(): void {
    if (this.closed) return;
    for (let e = this.inFlight.get(this.next); e !== undefined; e = this.inFlight.get(this.next)) {
      if (e.events !== undefined) this.consumeEncoded(e.batch, e.events);
      else if (e.prepared !== undefined) this.consumePrepared(e.batch, e.prepared);
      else if (!e.posted) {
        this.unsent = this.unsent.filter((s) => s !== this.next);
        this.consumeHere(e.batch);
      } else {
        if (this.unsent.length > 0) {
          const ahead = this.inFlight.get(this.unsent.shift() as number) as InFlight<M>;
          ahead.prepared = this.prepare(ahead.batch);
          this.pumpSoon();
        }
        break;
      }
      this.inFlight.delete(this.next);
      this.next++;
      if (this.afterBatch !== undefined) this.afterBatch(e.mark as M);
    }
    if (this.roomWaiters.length > 0 && this.room() === undefined) for (const w of this.roomWaiters.splice(0)) w();
    if (this.inFlight.size === 0 && this.messages.length === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  private pumpSoon(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private consumeEncoded(batch: BatchIn, events: EncodedBatch): void {
    const decoder = new BatchDecoder(events, this.refs);
    // The events of a batch are read with one cursor: should one fail to read back (a bug), the
    // rest of the batch is analysed here rather than read from the wrong place.
    let unreadable = false;
    eachEvent(batch, (event) => {
      let d;
      if (!unreadable) {
        try {
          d = decoder.next(event, this.detail);
          if (d === undefined) {
            this.failed++;
            return;
          }
        } catch {
          unreadable = true;
        }
      }
      if (d === undefined) this.here(event);
      else this.consume(d.lf, this.detail, d.forwarded, d.passed);
    });
  }

  /** The stateless half, here, for a batch whose turn has not come (what a worker would do). */
  private prepare(batch: BatchIn): (Prepared | null)[] {
    const out: (Prepared | null)[] = [];
    const detail = this.detail;
    eachEvent(batch, (event) => {
      try {
        detail.reset();
        const d = this.engine.decodeEvent(event, detail);
        const passed = this.engine.preEvaluate(d.lf, detail);
        out.push({ lf: d.lf, forwarded: d.forwarded, passed, slots: detail.slots.slice() });
      } catch {
        out.push(null);
      }
    });
    return out;
  }

  private consumePrepared(batch: BatchIn, prepared: (Prepared | null)[]): void {
    const detail = this.detail;
    for (const p of prepared) {
      if (p === null) {
        this.failed++;
        continue;
      }
      detail.reset();
      for (let i = 0; i < p.slots.length; i++) if (p.slots[i] !== undefined) detail.slots[i] = p.slots[i];
      this.consume(p.lf, detail, p.forwarded, p.passed);
    }
  }

  private consumeHere(batch: BatchIn): void {
    eachEvent(batch, (event) => this.here(event));
  }

  private here(event: Event): void {
    let d;
    try {
      d = this.engine.decodeEvent(event, this.detail);
    } catch (e) {
      this.failed++;
      this.warn(`event dropped: decoding failed: ${(e as Error).message} (location ${JSON.stringify(event.location)})`);
      return;
    }
    this.consume(d.lf, this.detail, d.forwarded, undefined);
  }

  /**
   * Stops the workers after idleMs at rest. Adds a worker when the threads there cannot keep up:
   * the first once this thread has been saturated for firstBusyMs, another once this thread and
   * every ready worker have been for busyMs. Starting a worker costs about what this thread spent
   * loading the rules (0.4 s of CPU with OSSEC's ruleset), so waiting about that long before
   * paying it keeps short bursts from costing more than they gain (the ski-rental rule).
   */
  private resize(): void {
    if (this.closed) return;
    const now = performance.now();
    const elu = performance.eventLoopUtilization(this.mainElu);
    this.mainElu = performance.eventLoopUtilization();
    // At rest: nothing waiting and this thread mostly idle (events analysed on submit leave
    // nothing in flight, so the queue alone does not say it).
    if (this.inFlight.size > 0 || this.messages.length > 0 || elu.utilization > 0.5) this.lastBusy = now;
    else if (this.workers.size > 0 && now - this.lastBusy >= this.idleMs) {
      const n = this.workers.retireIdle();
      if (n > 0) this.onRetire(n);
    }
    if (!this.workers.canGrow) return;
    if (this.workers.size > this.workers.readyCount) {
      this.busySince = undefined; // one is loading: judge again once it helps
      return;
    }
    let saturated = elu.utilization > 0.8;
    if (saturated && this.workers.size > 0) {
      const least = this.workers.leastUtilisation();
      saturated = least !== undefined && least > 0.85;
    }
    if (!saturated) {
      this.busySince = undefined;
      return;
    }
    this.busySince ??= now;
    if (now - this.busySince >= (this.workers.size === 0 ? this.firstBusyMs : this.busyMs)) {
      this.busySince = undefined;
      this.workers.grow();
      this.onGrow(this.workers.size);
    }
  }
}
