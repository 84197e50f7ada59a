import { Worker } from 'node:worker_threads';
import type { EventLoopUtilization } from 'node:perf_hooks';
import type { AgentRef, Event, EventKind } from '../../events/event.js';
import type { EncodedBatch } from './codec.js';

/** What a worker is started with: it loads the same files as the rules thread. */
export interface StatelessWorkerData {
  configFile: string;
  hostname: string;
}

/** Consecutive events of a batch that share where and when they came from (most batches are one run). */
export interface Run {
  count: number;
  location: string;
  kind: EventKind;
  receivedAt: number;
  agent: AgentRef | undefined;
}

/** A batch of messages to a worker. */
export interface BatchIn {
  seq: number;
  messages: string[];
  runs: Run[];
}

/** Each event of a batch, in order, as one reused object: callers read it and do not keep it. */
export function eachEvent(batch: BatchIn, each: (event: Event) => void): void {
  let m = 0;
  for (const run of batch.runs) {
    const event: Event = { location: run.location, message: '', receivedAt: run.receivedAt, kind: run.kind, agent: run.agent };
    for (let i = 0; i < run.count; i++, m++) {
      event.message = batch.messages[m];
      each(event);
    }
  }
}

/** What a worker posts: once `ready` with the shape of the tree it loaded, then one `done` per batch. */
export type WorkerMessage =
  | { type: 'ready'; shape: string }
  /** `events`: the batch's events encoded (codec.ts), one per message. */
  | { type: 'done'; seq: number; events: EncodedBatch };

export interface StatelessWorkersOptions extends StatelessWorkerData {
  /** The most threads ever started. */
  max: number;
  /** A worker failed or loaded other rules (it is stopped; its batches are handed back). */
  warn(message: string): void;
}

/** Who gets the workers' answers (the parallel analyzer). */
export interface WorkersListener {
  /** A batch is done: its events, encoded, by its sequence number. */
  done(seq: number, events: EncodedBatch): void;
  /** A worker ended or failed before it answered these batches: they must be done elsewhere. */
  lost(seqs: number[]): void;
  /** A worker became ready (batches may go to it now). */
  ready(): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The tree it loaded (Ruleset.shape), once ready. */
  shape: string | undefined;
  /** Sequence numbers posted and not answered. */
  pending: Set<number>;
  elu: EventLoopUtilization | undefined;
}

/**
 * The worker: the module compiled beside this one. When the tests run the sources through tsx, the
 * worker registers tsx itself first (Node 20 does not carry --import loaders into workers).
 */
function startWorker(workerData: StatelessWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./stateless-worker.js', import.meta.url), { workerData });
  const source = JSON.stringify(new URL('./stateless-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${source}); })`, { eval: true, workerData });
}

/** Workers that may fail in a row before no more are started (a broken ruleset, a bug). */
const MAX_FAILURES = 3;

/**
 * The worker threads of the parallel analyzer (stateless-worker.ts): started one at a time, each
 * checked to have loaded the same rule tree as this thread (`expectShape`), given batches by
 * least load. A worker that dies gives its unanswered batches back (WorkersListener.lost), so
 * the caller can do them itself: a crash costs speed, never events. Knows nothing of order or of
 * the engine.
 */
export class StatelessWorkers {
  private readonly slots: Slot[] = [];
  private shape: string | undefined;
  private failures = 0;
  private closed = false;
  /** Set by the analyzer; the workers may be started (and load) before it exists. */
  listener: WorkersListener | undefined;

  constructor(private readonly opts: StatelessWorkersOptions) {}

  /** Threads started (ready or loading). */
  get size(): number {
    return this.slots.length;
  }

  get readyCount(): number {
    let n = 0;
    for (const s of this.slots) if (s.ready) n++;
    return n;
  }

  /** Whether another thread may be started. */
  get canGrow(): boolean {
    return !this.closed && this.slots.length < this.opts.max && this.failures < MAX_FAILURES;
  }

  /** The shape of this thread's tree: workers that loaded another one are stopped. */
  expectShape(shape: string): void {
    this.shape = shape;
    for (const s of [...this.slots]) if (s.ready) this.checkShape(s);
  }

  /** Starts one more thread (it loads the rules, then says it is ready). */
  grow(): void {
    if (!this.canGrow) return;
    const data: StatelessWorkerData = { configFile: this.opts.configFile, hostname: this.opts.hostname };
    const worker = startWorker(data);
    const slot: Slot = { worker, ready: false, shape: undefined, pending: new Set(), elu: undefined };
    this.slots.push(slot);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        slot.ready = true;
        slot.shape = m.shape;
        if (this.checkShape(slot)) this.listener?.ready();
      } else {
        slot.pending.delete(m.seq);
        this.failures = 0;
        this.listener?.done(m.seq, m.events);
      }
    });
    worker.on('error', (e) => this.lose(slot, `worker thread failed: ${e.message}`));
    worker.on('exit', (code) => this.lose(slot, `worker thread exited (code ${code})`));
  }

  private checkShape(slot: Slot): boolean {
    const got = slot.shape;
    if (this.shape === undefined || got === undefined || got === this.shape) return true;
    this.failures = MAX_FAILURES; // the files changed under us: more workers would load the same
    this.lose(slot, `the rule files changed while loading (tree ${got} on a worker, ${this.shape} here); analysing on this thread only`);
    return false;
  }

  private lose(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    void slot.worker.terminate();
    if (this.closed) return;
    this.failures++;
    this.opts.warn(why);
    if (slot.pending.size > 0) this.listener?.lost([...slot.pending].sort((a, b) => a - b));
  }

  /**
   * Posts a batch to the ready worker with the fewest unanswered, if it holds fewer than `limit`;
   * false when none is ready or all hold that many.
   */
  post(batch: BatchIn, limit = Infinity): boolean {
    let best: Slot | undefined;
    // A ready worker has the expected tree: checkShape removed any other.
    for (const s of this.slots) if (s.ready && (best === undefined || s.pending.size < best.pending.size)) best = s;
    if (best === undefined || best.pending.size >= limit) return false;
    best.pending.add(batch.seq);
    best.worker.postMessage(batch);
    return true;
  }

  /**
   * The least busy ready worker's event loop utilisation since the last call (0..1), or undefined
   * when none is ready: the parallel analyzer adds a thread only while all of them are saturated.
   */
  leastUtilisation(): number | undefined {
    let least: number | undefined;
    for (const s of this.slots) {
      if (!s.ready) continue;
      const perf = s.worker.performance;
      const u = s.elu === undefined ? perf.eventLoopUtilization().utilization : perf.eventLoopUtilization(s.elu).utilization;
      s.elu = perf.eventLoopUtilization();
      if (least === undefined || u < least) least = u;
    }
    return least;
  }

  /**
   * Stops the workers that hold no batch (the load is over: their copies of the rules are memory
   * a daemon at rest does not need). They are removed first, so their exit is not a failure.
   */
  retireIdle(): number {
    const idle = this.slots.filter((s) => s.ready && s.pending.size === 0);
    for (const s of idle) {
      this.slots.splice(this.slots.indexOf(s), 1);
      void s.worker.terminate();
    }
    return idle.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
