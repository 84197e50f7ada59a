/**
 * A worker thread of the parallel analyzer (stateless-workers.ts): it loads the rules, says which
 * tree it loaded, then for each batch of messages pre-decodes and decodes every event and runs the
 * rules' stateless filters (RuleEngine.preEvaluate), and posts the batch back encoded (codec.ts)
 * under its sequence number. Nothing here depends on earlier events, so any number of these can
 * run side by side.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../../config/load.js';
import { DecodeDetail } from '../decoders/index.js';
import { decodeStage, loadEngine } from '../engine.js';
import { BatchEncoder, decoderRefs } from './codec.js';
import { eachEvent, type BatchIn, type StatelessWorkerData, type WorkerMessage } from './stateless-workers.js';

const data = workerData as StatelessWorkerData;
const port = parentPort!;
const engine = loadEngine({ config: loadConfig(data.configFile), hostname: data.hostname, logtest: true });
const encoder = new BatchEncoder(new Map(decoderRefs(engine.decoders).map((r, i) => [r, i])));
const detail = new DecodeDetail(false);

port.on('message', (b: BatchIn) => {
  eachEvent(b, (event) => {
    try {
      const d = decodeStage(engine.decoders, data.hostname, event, detail);
      const passed = engine.preEvaluate(d.lf, detail);
      encoder.add(event, d.lf, detail, d.forwarded, passed);
    } catch {
      encoder.addFailed(); // counted there, never fatal (architecture.md: bad input is data)
    }
  });
  const events = encoder.finish();
  const out: WorkerMessage = { type: 'done', seq: b.seq, events };
  port.postMessage(out, [events.nums.buffer as ArrayBuffer]);
});
const ready: WorkerMessage = { type: 'ready', shape: engine.ruleset.shape };
port.postMessage(ready);
