import { LineReader } from '../../events/line-reader.js';
import type { Analysis, Engine } from '../engine.js';
import { ParallelAnalyzer } from './parallel-analyzer.js';
import type { StatelessWorkers } from './stateless-workers.js';

export interface PipelineOptions {
  /** The engine that runs the stateful rules, on this thread. */
  engine: Engine;
  /** The worker threads (started with the same configuration and hostname as the engine). */
  workers: StatelessWorkers;
  input: NodeJS.ReadableStream;
  location: string;
  kind: 'localfile' | 'command';
  /** Turns input lines into messages (logtest's RecordSplitter). */
  splitter: { line(line: string): string | undefined; end(): string | undefined };
  /** Called for each event, in input order. */
  onAnalysis: (a: Analysis) => void;
  /** Called after each batch (e.g. to write the output gathered by onAnalysis). */
  onBatch?: () => void;
}

/**
 * A stream through the parallel analyzer (parallel-analyzer.ts), for `logtest -a --threads`: every
 * line in, every analysis out in input order, the same as one thread gives. The input is paused
 * while the workers are behind.
 */
export async function runPipeline(opts: PipelineOptions): Promise<{ events: number; failed: number }> {
  const engine = opts.engine;
  let events = 0;
  const analyzer = new ParallelAnalyzer({
    engine,
    workers: opts.workers,
    start: 'now',
    consume: (lf, detail, forwarded, prepassed) => {
      events++;
      opts.onAnalysis(engine.matchDecoded(lf, detail, forwarded, { prepassed }));
    },
    afterBatch: opts.onBatch,
  });
  const submit = (message: string): void => {
    analyzer.submit({ location: opts.location, message, receivedAt: Date.now(), kind: opts.kind });
  };
  let waiting = false;
  const reader: LineReader = new LineReader(opts.input, (line) => {
    const m = opts.splitter.line(line);
    if (m === undefined) return;
    submit(m);
    const room = waiting ? undefined : analyzer.room();
    if (room !== undefined) {
      waiting = true;
      reader.pause();
      void room.then(() => {
        waiting = false;
        reader.resume();
      });
    }
  });
  try {
    await reader.done;
    const last = opts.splitter.end();
    if (last !== undefined) submit(last);
    await analyzer.drain();
  } finally {
    await analyzer.close();
  }
  return { events, failed: analyzer.failed };
}
