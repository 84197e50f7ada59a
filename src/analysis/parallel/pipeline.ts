import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { DecodeDetail } from '../decoders/decode.js';
import type { Analysis, Engine } from '../engine.js';
import { decodeEvent, decoderRefs, splitBatch } from './codec.js';

/** What a worker is started with. */
export interface StatelessWorkerData {
  configFile: string;
  hostname: string;
  /** Ruleset.shape of the rules thread: the worker's tree must be the same. */
  shape: string;
}

/** A batch of messages to a worker. */
export interface BatchIn {
  seq: number;
  messages: string[];
  location: string;
  kind: 'localfile' | 'command';
  receivedAt: number;
}

/** A batch back from a worker: its events encoded (codec.ts) and the count that failed. */
export interface BatchOut {
  seq: number;
  events: string;
  failed: number;
}

export interface PipelineOptions {
  /** The configuration the engine was loaded from: each worker loads the same files. */
  configFile: string;
  /** The engine that runs the stateful rules, on this thread (same hostname as given here). */
  engine: Engine;
  hostname: string;
  /** Worker threads for the stateless work (the number of cores is a good choice). */
  workers: number;
  input: NodeJS.ReadableStream;
  location: string;
  kind: 'localfile' | 'command';
  /** Turns input lines into messages (logtest's RecordSplitter). */
  splitter: { line(line: string): string | undefined; end(): string | undefined };
  /** Called for each event, in input order. */
  onAnalysis: (a: Analysis) => void;
  /** Called after each batch (e.g. to write the output gathered by onAnalysis). */
  onBatch?: () => void;
  batchSize?: number;
  /** Batches sent and not yet analysed, per worker, before the input is paused. */
  maxInFlight?: number;
}

/**
 * Every core, same results. Worker threads take batches of messages in turn and do everything that
 * depends on the event alone: pre-decoding, decoding and the rules' stateless filters (decoded_as,
 * program_name, match, regex, fields, addresses, ...: RuleEngine.preEvaluate). This thread takes
 * the batches back in input order and runs, event by event, what depends on earlier events:
 * check_diff, first-time-seen, lists, the history searches of frequency and if_matched_* rules,
 * ignore timers. It follows the same tree walk as one thread, only reading the stateless results
 * instead of computing them, so every alert is the one the one-thread engine gives, in the same
 * order (per-location order included: there is one ordered stream).
 */
export function runPipeline(opts: PipelineOptions): Promise<{ events: number; failed: number }> {
  const n = Math.max(1, opts.workers);
  const batchSize = opts.batchSize ?? 512;
  const maxInFlight = n * (opts.maxInFlight ?? 4);
  const engine = opts.engine;
  const refs = decoderRefs(engine.decoders);
  const detail = new DecodeDetail(false);
  const data: StatelessWorkerData = { configFile: opts.configFile, hostname: opts.hostname, shape: engine.ruleset.shape };
  const workers = Array.from({ length: n }, () => new Worker(new URL('./stateless-worker.js', import.meta.url), { workerData: data }));

  let events = 0;
  let failed = 0;
  let sent = 0;
  let next = 0;
  let inputDone = false;
  let paused = false;
  let batch: string[] = [];
  const back = new Map<number, BatchOut>();
  const rl = createInterface({ input: opts.input, crlfDelay: Infinity });

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      rl.close();
      for (const w of workers) void w.terminate();
      if (err === undefined) resolve({ events, failed });
      else reject(err);
    };
    const dispatch = (): void => {
      if (batch.length === 0) return;
      const b: BatchIn = { seq: sent, messages: batch, location: opts.location, kind: opts.kind, receivedAt: Date.now() };
      workers[sent % n].postMessage(b);
      sent++;
      batch = [];
      if (sent - next >= maxInFlight && !paused) {
        paused = true;
        rl.pause();
      }
    };
    const analyse = (b: BatchOut): void => {
      failed += b.failed;
      const items = splitBatch(b.events);
      for (let i = 0; i < items.length; i++) {
        let a: Analysis;
        try {
          const d = decodeEvent(items[i], refs, detail);
          a = engine.matchDecoded(d.lf, detail, d.forwarded, { prepassed: d.passed });
        } catch {
          failed++;
          continue;
        }
        events++;
        opts.onAnalysis(a);
      }
      opts.onBatch?.();
    };
    const onBatch = (b: BatchOut): void => {
      back.set(b.seq, b);
      try {
        for (let got = back.get(next); got !== undefined; got = back.get(next)) {
          back.delete(next);
          next++;
          analyse(got);
        }
      } catch (e) {
        finish(e);
        return;
      }
      if (paused && sent - next < maxInFlight) {
        paused = false;
        rl.resume();
      }
      if (inputDone && next === sent) finish();
    };
    for (const w of workers) {
      w.on('message', onBatch);
      w.on('error', finish);
    }
    rl.on('line', (line) => {
      const m = opts.splitter.line(line);
      if (m === undefined) return;
      batch.push(m);
      if (batch.length >= batchSize) dispatch();
    });
    rl.on('close', () => {
      if (inputDone || settled) return;
      const last = opts.splitter.end();
      if (last !== undefined) batch.push(last);
      dispatch();
      inputDone = true;
      if (next === sent) finish();
    });
  });
}
