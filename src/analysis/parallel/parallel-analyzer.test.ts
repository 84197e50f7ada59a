/**
 * The parallel analyzer with real worker threads: the results must be those of one thread, in
 * submission order, whether events are analysed here (at rest, while a worker loads), on workers,
 * or here again after a worker died.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import type { Event } from '../../events/event.js';
import { loadEngine, type Engine } from '../engine.js';
import { ParallelAnalyzer } from './parallel-analyzer.js';
import { StatelessWorkers } from './stateless-workers.js';
import { writeCorpus } from '../../../bench/corpus.mjs';
import { conformanceAvailable, conformanceDir } from '../../../test/support/conformance.js';
import { projectRoot, scratch } from '../../../test/support/local-process.js';

const OWN_CONF = join(projectRoot, 'etc', 'ospatrol.conf');
const T0 = Date.UTC(2026, 0, 5, 10);

function engineFor(conf: string): Engine {
  return loadEngine({ config: loadConfig(conf), hostname: 'host', logtest: true });
}

/** What decides an alert: rule, level, the event and the context (Previous output, history). */
function summary(engine: Engine, lf: Parameters<Engine['matchDecoded']>[0], m: ReturnType<Engine['matchDecoded']>['match']): string {
  if (m === null) return `- ${lf.decoder?.name ?? ''}`;
  return `${m.id}/${m.level}/${m.alert ? 'alert' : m.suppressed} ${lf.fullLog} | ${m.context.join(' | ')}`;
}

function serial(conf: string, events: Event[]): string[] {
  const e = engineFor(conf);
  return events.map((ev) => {
    const a = e.analyze(ev);
    return summary(e, a.lf, a.match);
  });
}

function analyzer(conf: string, opts: { max: number; start?: 'now' | 'busy'; batchSize?: number; idleMs?: number; warn?: (m: string) => void }) {
  const engine = engineFor(conf);
  const out: string[] = [];
  const workers = new StatelessWorkers({ configFile: conf, hostname: 'host', max: opts.max, warn: opts.warn ?? (() => {}) });
  const a = new ParallelAnalyzer({
    engine,
    workers,
    start: opts.start,
    batchSize: opts.batchSize,
    idleMs: opts.idleMs,
    consume: (lf, detail, forwarded, prepassed) => out.push(summary(engine, lf, engine.matchDecoded(lf, detail, forwarded, { prepassed }).match)),
  });
  return { a, out, workers };
}

/** full_command outputs that change back and forth under check_diff (rule 533 in our ruleset). */
function checkDiffEvents(n: number): Event[] {
  const outputs = ['tcp 0.0.0.0:22 LISTEN', 'tcp 0.0.0.0:22 LISTEN\ntcp 0.0.0.0:4444 LISTEN', 'tcp 0.0.0.0:22 LISTEN', 'tcp 0.0.0.0:22 LISTEN\ntcp 0.0.0.0:8080 LISTEN'];
  return Array.from({ length: n }, (_, i) => ({
    location: 'netstat',
    message: `ospatrol: output: 'netstat':\n${outputs[i % outputs.length]}`,
    receivedAt: T0 + i,
    kind: 'command' as const,
  }));
}

async function until(what: string, check: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('at rest no worker starts and each event is analysed at once, on submit', { timeout: 60000 }, async () => {
  const { a, out, workers } = analyzer(OWN_CONF, { max: 2 });
  const events = checkDiffEvents(6);
  for (let i = 0; i < events.length; i++) {
    a.submit(events[i]);
    assert.equal(out.length, i + 1, 'analysed before submit returned');
  }
  assert.deepEqual(out, serial(OWN_CONF, events));
  assert.equal(workers.size, 0);
  await a.drain();
  await a.close();
});

test('on workers, check_diff state follows submission order across batches and threads', { timeout: 60000 }, async () => {
  const { a, out, workers } = analyzer(OWN_CONF, { max: 2, start: 'now', batchSize: 16 });
  await until('a worker', () => workers.readyCount > 0);
  const events = checkDiffEvents(2000);
  for (const e of events) a.submit(e);
  await a.drain();
  const expected = serial(OWN_CONF, events);
  assert.ok(expected.filter((s) => s.includes('Previous output:')).length >= 1000, 'check_diff fired');
  assert.deepEqual(out, expected);
  await a.close();
});

test('a worker that dies hands its batches back: nothing is lost or reordered', { timeout: 60000 }, async () => {
  const warnings: string[] = [];
  const { a, out, workers } = analyzer(OWN_CONF, { max: 1, start: 'now', batchSize: 8, warn: (m) => warnings.push(m) });
  await until('a worker', () => workers.readyCount > 0);
  const events = checkDiffEvents(400);
  // A batch the worker cannot read kills it (an uncaught error in the thread); the analyzer's
  // batches posted to it meanwhile die with it, unanswered.
  workers.post({ seq: 1e9, messages: ['x'], runs: [null as never] });
  for (const e of events) a.submit(e);
  await a.drain();
  assert.deepEqual(out, serial(OWN_CONF, events));
  await until('the warning', () => warnings.some((w) => /worker thread (failed|exited)/.test(w)));
  assert.equal(workers.size, 0, 'the worker is gone: the rest was analysed here');
  await a.close();
});

test('room() asks the producer to wait while the workers are behind, and frees it later', { timeout: 60000 }, async () => {
  const { a, workers } = analyzer(OWN_CONF, { max: 1, start: 'now', batchSize: 4 });
  await until('a worker', () => workers.readyCount > 0);
  const events = checkDiffEvents(400);
  let room: Promise<void> | undefined;
  for (const e of events) {
    a.submit(e);
    room ??= a.room();
  }
  assert.ok(room !== undefined, 'no back-pressure with 100 batches sent');
  await room;
  assert.equal(a.room(), undefined);
  await a.drain();
  await a.close();
});

const available = conformanceAvailable();
test('OSSEC ruleset, 20,000 corpus events on two workers: the alerts of one thread, in order', { skip: available === true ? false : available, timeout: 120000 }, async () => {
  const conf = join(conformanceDir, 'ossec-4.3.0', 'etc', 'ossec-full-ruleset.conf');
  const file = join(scratch('analyzer-corpus'), 'corpus.log');
  await writeCorpus({ events: 20000, seed: 7, out: file, hostile: false });
  const events: Event[] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length >= 2)
    .map((message, i) => ({ location: 'stdin', message, receivedAt: T0 + i * 10, kind: 'localfile' as const }));
  const { a, out, workers } = analyzer(conf, { max: 2, start: 'now' });
  // Some events go here while the first worker loads; the rest are spread over two.
  for (const e of events.slice(0, 1000)) a.submit(e);
  await until('a worker', () => workers.readyCount > 0);
  workers.grow();
  await until('two workers', () => workers.readyCount > 1);
  for (const e of events.slice(1000)) a.submit(e);
  await a.drain();
  const expected = serial(conf, events);
  assert.ok(expected.filter((s) => s.includes('/alert ')).length > 5000);
  assert.equal(out.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.equal(out[i], expected[i], `event ${i}`);
  await a.close();
});

test('a burst starts a worker; at rest it is stopped, and the next events are analysed here at once', { timeout: 60000 }, async () => {
  const { a, out, workers } = analyzer(OWN_CONF, { max: 1, idleMs: 500 });
  const events: Event[] = [];
  const submitMore = (n: number): void => {
    const more = checkDiffEvents(events.length + n).slice(events.length);
    for (const e of more) {
      events.push(e);
      a.submit(e);
    }
  };
  // Keep this thread saturated until the worker is there and has taken batches.
  const end = Date.now() + 30000;
  while (workers.readyCount === 0 && Date.now() < end) {
    submitMore(2000);
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(workers.readyCount > 0, 'no worker under a burst');
  submitMore(5000);
  await a.drain();
  await until('the worker to be stopped', () => workers.size === 0, 10000);
  const before = out.length;
  submitMore(1);
  assert.equal(out.length, before + 1, 'analysed on submit');
  submitMore(1000);
  await a.drain();
  assert.equal(out.length, events.length);
  assert.deepEqual(out, serial(OWN_CONF, events));
  await a.close();
});
