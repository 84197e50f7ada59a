import { Worker } from 'node:worker_threads';
import type { Alert } from '../../alerts/alert.js';
import { DecodeDetail } from '../decoders/decode.js';
import type { Engine } from '../engine.js';
import { decodeEvent, decoderRefs, splitBatch } from './codec.js';
import type { DecodeWorkerData } from './decode-worker.js';

export interface PipelineOptions {
  /** The configuration the engine was loaded from: the worker loads the same decoders. */
  configFile: string;
  /** The engine that runs the rules, on this thread (same hostname as given here). */
  engine: Engine;
  hostname: string;
  /** File descriptor the worker reads lines from (0: standard input). */
  fd: number;
  location: string;
  /** Called for each alert, in input order. */
  onAlert: (alert: Alert) => void;
  /** Called after each batch (e.g. to write the output gathered by onAlert). */
  onBatch?: () => void;
  batchSize?: number;
  maxInFlight?: number;
}

/**
 * Two cores, same results: a worker thread reads, splits, pre-decodes and decodes (the stateless
 * half of the engine: nothing there depends on earlier events), and this thread runs the rules on
 * the decoded events one by one, in input order. Frequency, if_matched_*, ignore timers, FTS and
 * check_diff all live here, untouched, so every alert is the one the one-thread engine gives, in
 * the same order (per-location order included: there is one ordered stream). More decoding
 * threads would need a reorder step; with two cores the rules thread is the bottleneck anyway.
 */
export function runPipeline(opts: PipelineOptions): Promise<{ events: number; failedToDecode: number }> {
  const credit = new SharedArrayBuffer(8);
  const counter = new Int32Array(credit);
  const data: DecodeWorkerData = {
    configFile: opts.configFile,
    hostname: opts.hostname,
    fd: opts.fd,
    location: opts.location,
    batchSize: opts.batchSize ?? 1024,
    credit,
    maxInFlight: opts.maxInFlight ?? 8,
  };
  const refs = decoderRefs(opts.engine.decoders);
  const detail = new DecodeDetail(false);
  const engine = opts.engine;
  let events = 0;
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./decode-worker.js', import.meta.url), { workerData: data });
    worker.on('message', (m: string | { done: true; failed: number }) => {
      if (typeof m !== 'string') {
        void worker.terminate();
        resolve({ events, failedToDecode: m.failed });
        return;
      }
      const items = splitBatch(m);
      for (let i = 0; i < items.length; i++) {
        const d = decodeEvent(items[i], refs, detail);
        const alert = engine.processDecoded(d.lf, detail, d.forwarded);
        if (alert) opts.onAlert(alert);
      }
      events += items.length;
      opts.onBatch?.();
      Atomics.sub(counter, 0, 1);
      Atomics.notify(counter, 0);
    });
    worker.on('error', reject);
  });
}
