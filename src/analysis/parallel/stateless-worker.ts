/**
 * A worker thread of the pipeline (pipeline.ts): for each batch of messages it pre-decodes and
 * decodes every event and runs the rules' stateless filters (RuleEngine.preEvaluate), then posts
 * the batch back encoded (codec.ts), under the batch's sequence number. Nothing here depends on
 * earlier events, so any number of these can run side by side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../../config/load.js';
import { DecodeDetail } from '../decoders/index.js';
import { decodeStage, loadEngine } from '../engine.js';
import { decoderRefs, encodeEvent, joinBatch } from './codec.js';
import type { BatchIn, BatchOut, StatelessWorkerData } from './pipeline.js';

const data = workerData as StatelessWorkerData;
const port = parentPort!;
const engine = loadEngine({ config: loadConfig(data.configFile), hostname: data.hostname, logtest: true });
if (engine.ruleset.shape !== data.shape) {
  throw new Error(`the rule files changed while loading: tree ${engine.ruleset.shape} here, ${data.shape} on the rules thread`);
}
const refIndex = new Map(decoderRefs(engine.decoders).map((r, i) => [r, i]));
const detail = new DecodeDetail(false);

port.on('message', (b: BatchIn) => {
  const encoded: string[] = [];
  let failed = 0;
  for (const message of b.messages) {
    try {
      const d = decodeStage(engine.decoders, data.hostname, { location: b.location, message, receivedAt: b.receivedAt, kind: b.kind }, detail);
      const passed = engine.preEvaluate(d.lf, detail);
      encoded.push(encodeEvent(d.lf, detail, d.forwarded, refIndex, passed));
    } catch {
      failed++; // counted, never fatal (architecture.md: bad input is data)
    }
  }
  const out: BatchOut = { seq: b.seq, events: joinBatch(encoded), failed };
  port.postMessage(out);
});
