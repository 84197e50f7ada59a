/**
 * The outputs' thread of local mode (output-host.ts starts it): every output's delivery loop
 * (sinks/delivery/output-runner.ts) runs here, reading the alert journal's files through a mirror
 * of the journal that the main thread keeps up to date. Formatting alerts.log and alerts.json,
 * the SQLite transactions, database and syslog clients, mail: none of it takes time from
 * collection and analysis on the main thread. Alerts reach this thread only through the journal,
 * so an alert is on disk before any output sees it, as before.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createOutputs } from '../sinks/delivery/create-outputs.js';
import { CursorStore } from '../sinks/delivery/cursor-store.js';
import { OutputRunner } from '../sinks/delivery/output-runner.js';
import { JournalMirror } from '../sinks/journal/journal-mirror.js';
import { cursorsDir } from '../sinks/journal/paths.js';
import type { Logger, LogLevel } from './logger.js';
import { serializeError, type FromWorker, type OutputWorkerData, type ToWorker } from './output-protocol.js';

const port = parentPort;
if (!port) throw new Error('output-worker.js runs as a worker thread of local mode');
const data = workerData as OutputWorkerData;

function send(m: FromWorker): void {
  try {
    port!.postMessage(m);
  } catch (err) {
    // A log field that cannot be copied to the other thread: send its JSON form instead.
    if (m.type !== 'log') throw err;
    port!.postMessage({ ...m, fields: plainFields(m.fields) });
  }
}

function plainFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (fields === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Error) out[k] = new Error(v.message);
    else {
      try {
        out[k] = JSON.parse(JSON.stringify(v) ?? 'null');
      } catch {
        out[k] = String(v);
      }
    }
  }
  return out;
}

/** Log lines go to the main thread's logger, in order. */
const at =
  (level: LogLevel) =>
  (msg: string, fields?: Record<string, unknown>): void =>
    send({ type: 'log', level, msg, fields });
const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };

const journal = new JournalMirror(data.journalDir, data.head, (msg, fields) => logger.warn(msg, fields));
const cursors = new CursorStore(cursorsDir(data.stateDir));
let runners: OutputRunner[] = [];

function start(m: Extract<ToWorker, { type: 'start' }>): void {
  let started: OutputRunner[] = [];
  try {
    const outputs = createOutputs(m.config, {
      stateDir: data.stateDir,
      hostname: m.hostname,
      version: data.version,
      logger,
      emailGroupDelayMs: data.emailGroupDelayMs,
    });
    runners = outputs.map((output) => new OutputRunner({ output, journal, cursors, logger, onCommit: committed }));
    for (const r of runners) {
      r.start();
      started.push(r);
    }
  } catch (err) {
    const failed = started;
    started = [];
    runners = [];
    void Promise.all(failed.map((r) => r.stop(0))).catch(() => undefined);
    send({ type: 'started', outputs: [], error: serializeError(err) });
    return;
  }
  send({ type: 'started', outputs: runners.map((r) => r.output.name) });
}

/** Local outputs (files, SQLite) drain everything; remote ones get a few seconds, then what is left waits in the journal. */
async function stop(): Promise<void> {
  await Promise.all(runners.map((r) => r.stop(r.output.local ? 30_000 : 5_000)));
  const status = runners.map((r) => r.status());
  runners = [];
  send({ type: 'stopped', status });
}

/** After each persisted cursor: segments every output has passed may go. */
function committed(): void {
  if (runners.length === 0) return;
  let seq = Infinity;
  for (const r of runners) seq = Math.min(seq, r.committedSeq);
  send({ type: 'committed', seq, status: runners.map((r) => r.status()) });
}

let queue = Promise.resolve();
port.on('message', (m: ToWorker) => {
  if (m.type === 'head') {
    journal.update(m);
    return;
  }
  queue = queue
    .then(() => (m.type === 'start' ? start(m) : stop()))
    .catch((err: unknown) => logger.error('outputs: unexpected error', { error: err }));
});
