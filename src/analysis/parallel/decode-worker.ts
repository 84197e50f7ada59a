/**
 * The decoding thread of the two-thread pipeline (pipeline.ts): reads the input, splits it into
 * lines exactly as logtest's readline does, pre-decodes and decodes each line (stateless work) and
 * posts batches of encoded events in input order. A shared counter of batches in flight stops it
 * from running more than a few batches ahead of the rules thread.
 */
import { readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../../config/load.js';
import { DecodeDetail, loadDecoders } from '../decoders/index.js';
import { decodeStage } from '../engine.js';
import { decoderRefs, encodeEvent, joinBatch } from './codec.js';

export interface DecodeWorkerData {
  configFile: string;
  hostname: string;
  /** File descriptor to read (0: standard input). */
  fd: number;
  location: string;
  batchSize: number;
  /** Int32Array over it: [0] batches posted and not yet processed. */
  credit: SharedArrayBuffer;
  maxInFlight: number;
}

const data = workerData as DecodeWorkerData;
const port = parentPort!;
const config = loadConfig(data.configFile);
const decoders = loadDecoders(config.rules.decoderFiles);
const refs = decoderRefs(decoders);
const refIndex = new Map(refs.map((r, i) => [r, i]));
const detail = new DecodeDetail(false);
const credit = new Int32Array(data.credit);

let batch: string[] = [];
let failed = 0;

function post(): void {
  if (batch.length === 0) return;
  while (Atomics.load(credit, 0) >= data.maxInFlight) Atomics.wait(credit, 0, Atomics.load(credit, 0), 1000);
  Atomics.add(credit, 0, 1);
  port.postMessage(joinBatch(batch));
  batch = [];
}

function line(text: string): void {
  if (text.length < 2) return; // as ossec-logtest
  try {
    const d = decodeStage(decoders, data.hostname, { location: data.location, message: text, receivedAt: Date.now(), kind: 'localfile' }, detail);
    batch.push(encodeEvent(d.lf, detail, d.forwarded, refIndex));
  } catch {
    failed++; // counted, never fatal (architecture.md: bad input is data)
  }
  if (batch.length >= data.batchSize) post();
}

// Line breaks as readline with crlfDelay: Infinity: \n, \r\n and a lone \r.
const decoder = new StringDecoder('utf8');
const buf = Buffer.allocUnsafe(1 << 16);
let rest = '';
let pendingCr = false;
for (;;) {
  let n: number;
  try {
    n = readSync(data.fd, buf, 0, buf.length, null);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
      Atomics.wait(credit, 1, 0, 5);
      continue;
    }
    throw e;
  }
  if (n === 0) break;
  let s = rest + decoder.write(buf.subarray(0, n));
  let i = 0;
  if (pendingCr && s[0] === '\n') i = 1;
  pendingCr = false;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c !== 10 && c !== 13) continue;
    line(s.slice(i, j));
    if (c === 13) {
      if (j + 1 < s.length) {
        if (s.charCodeAt(j + 1) === 10) j++;
      } else pendingCr = true;
    }
    i = j + 1;
  }
  rest = s.slice(i);
  s = '';
}
rest += decoder.end();
if (rest !== '') line(rest);
post();
port.postMessage({ done: true, failed });
