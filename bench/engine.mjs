/**
 * The engine in process: load once, then events in, alerts out (engine.process, the daemon path),
 * with per-event latency, the slowest events and the rules they went through, and a no-op reader
 * (read and split the same corpus) as the floor. Also the hostile lines one by one, and the
 * scaling of throughput with the share of OSSEC rule files loaded.
 */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostileLines } from './corpus.mjs';
import { cacheDir, corpus, corpusLines, dist, ossecConf, ossecEtc, ownConf, percentile } from './lib.mjs';

const { loadEngine } = await import(join(dist, 'analysis', 'engine.js'));
const { loadConfig } = await import(join(dist, 'config', 'load.js'));

const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);

function load(conf) {
  const t = performance.now();
  const engine = loadEngine({ config: loadConfig(conf), hostname: 'bench', logtest: true });
  return { engine, loadMs: performance.now() - t };
}

/** The line reader logtest uses (events/line-reader.ts), doing nothing with the lines: the physical floor. */
export async function noopReader(file) {
  const { LineReader } = await import(join(dist, 'events', 'line-reader.js'));
  const t = performance.now();
  let n = 0;
  await new LineReader(createReadStream(file), (line) => {
    if (line.length >= 2) n++;
  }).done;
  const s = (performance.now() - t) / 1000;
  return { events: n, seconds: s, eventsPerS: n / s };
}

/**
 * Throughput and latency of engine.process over `lines` (after one warm-up pass over a slice).
 * Receive times advance 1 ms an event from a fixed start, so time windows behave the same in every
 * run.
 */
export function runEngine(engine, lines, { latency = true, slowest = 10 } = {}) {
  // `fresh()` gives the same loaded rules with all state reset; only the newest one is used.
  const w = engine.fresh();
  const warm = Math.min(lines.length, 5000);
  for (let i = 0; i < warm; i++) w.process({ location: 'stdin', message: lines[i], receivedAt: T0 + i, kind: 'localfile' });
  const e = w.fresh();
  const lat = latency ? new Float64Array(lines.length) : undefined;
  let alerts = 0;
  const t0 = performance.now();
  for (let i = 0; i < lines.length; i++) {
    const s = latency ? performance.now() : 0;
    if (e.process({ location: 'stdin', message: lines[i], receivedAt: T0 + i, kind: 'localfile' })) alerts++;
    if (lat) lat[i] = performance.now() - s;
  }
  const seconds = (performance.now() - t0) / 1000;
  const res = { events: lines.length, alerts, seconds, eventsPerS: lines.length / seconds, failed: e.counters.failed };
  if (lat) {
    const idx = Array.from(lat.keys()).sort((a, b) => lat[b] - lat[a]);
    const sorted = Float64Array.from(lat).sort();
    res.p50us = percentile(sorted, 50) * 1000;
    res.p99us = percentile(sorted, 99) * 1000;
    res.maxMs = sorted[sorted.length - 1];
    res.slowest = idx.slice(0, slowest).map((i) => ({ ms: lat[i], index: i, line: lines[i].length > 100 ? `${lines[i].slice(0, 80)}... (${lines[i].length} chars)` : lines[i] }));
  }
  return { res, engine: e };
}

const rate = { engine: undefined, lines: new Map() };
/**
 * Events/s of the in-process engine (OSSEC ruleset) over the same corpus, without per-event
 * timing: the reference each local-mode run is compared with, measured just before it.
 */
export async function engineRate(events) {
  if (!rate.lines.has(events)) rate.lines.set(events, corpusLines(await corpus(events, { hostile: false })));
  rate.engine ??= load(ossecConf).engine;
  return runEngine(rate.engine, rate.lines.get(events), { latency: false }).res.eventsPerS;
}

/** The rules one event goes through (logtest -v's trace), for the slowest events. */
export function rulesTried(engine, line) {
  const trace = [];
  const a = engine.fresh().analyze({ location: 'stdin', message: line, receivedAt: T0, kind: 'localfile' }, { trace: (l) => trace.push(l) });
  const tried = trace.filter((l) => l.startsWith('    Trying rule: ')).map((l) => l.slice(17).split(' ')[0]);
  return { decoder: a.lf.decoder?.name || '(none)', rule: a.match?.id, tried: tried.length, firstTried: tried.slice(0, 12).join(',') };
}

export async function benchEngine({ events, log = console.log }) {
  const file = await corpus(events, { hostile: false });
  const lines = corpusLines(file);
  const out = {};
  out.noop = await noopReader(file);
  log(`no-op reader: ${out.noop.eventsPerS.toFixed(0)} lines/s`);
  for (const [name, conf] of [
    ['ossec', ossecConf],
    ['ospatrol', ownConf],
  ]) {
    const { engine, loadMs } = load(conf);
    const { res, engine: e } = runEngine(engine, lines);
    res.loadMs = loadMs;
    res.rssMb = process.memoryUsage().rss / 1048576;
    if (name === 'ossec') for (const s of res.slowest) Object.assign(s, rulesTried(e, lines[s.index]));
    out[name] = res;
    log(`engine (${name} ruleset): ${res.eventsPerS.toFixed(0)} ev/s, p50 ${res.p50us.toFixed(1)} us, p99 ${res.p99us.toFixed(1)} us, max ${res.maxMs.toFixed(1)} ms, load ${loadMs.toFixed(0)} ms`);
  }
  return out;
}

/** Each hostile line alone through the OSSEC-ruleset engine: time and outcome. */
export function benchHostile({ log = console.log } = {}) {
  const { engine } = load(ossecConf);
  const rows = [];
  for (const h of hostileLines(8)) {
    const message = h.line.toString('utf8'); // as logtest and the file reader decode bytes
    const e = engine.fresh();
    // Twice: the first run also pays for compiling the regexes it touches.
    e.process({ location: 'stdin', message, receivedAt: T0, kind: 'localfile' });
    const t = performance.now();
    const alert = e.process({ location: 'stdin', message, receivedAt: T0 + 1, kind: 'localfile' });
    const ms = performance.now() - t;
    rows.push({ name: h.name, bytes: h.line.length, ms, alert: alert?.rule.id, failed: e.counters.failed });
  }
  const over = rows.filter((r) => r.ms > 50).length;
  log(`hostile lines: worst ${Math.max(...rows.map((r) => r.ms)).toFixed(1)} ms, ${over} over 50 ms`);
  return { rows, over50ms: over };
}

/**
 * Throughput with the first 10%, 50% and 100% of the OSSEC rule files (in their include order, so
 * every rule's parents are loaded), on events the added rules cannot match: of the corpus lines of
 * the sources whose rule files are in the first 10% (sshd, pam, su, sudo, cron, kernel), those
 * whose result (rule id, or none) is the same with all three rule sets. Later files do add rules
 * for these sources (attack_rules.xml links under the sshd rules, for instance); the events where
 * one of them wins are left out, so what is measured is the cost of rules loaded and not matching.
 */
export async function benchScaling({ events, log = console.log }) {
  const conf = readFileSync(ossecConf, 'utf8');
  const files = [...conf.matchAll(/^\s*<include>([^<]+)<\/include>/gm)].map((m) => m[1]);
  const all = await corpus(events, { seed: 3, hostile: false });
  const keep = /^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ (sshd|sudo|su|CRON|login|systemd-logind|kernel)(\[\d+\])?: /;
  const candidates = corpusLines(all).filter((l) => keep.test(l) && !l.includes(' IN=eth0 '));
  const loaded = [];
  for (const share of [0.1, 0.5, 1]) {
    const n = Math.max(1, Math.round(files.length * share));
    const sub = files.slice(0, n);
    const text = conf.replace(/<rules>[\s\S]*<\/rules>/, `<rules>\n<decoder>${join(ossecEtc, 'decoder.xml')}</decoder>\n${sub.map((f) => `<include>${join(ossecEtc, 'rules', f)}</include>`).join('\n')}\n</rules>`);
    const cfile = join(cacheDir, `scaling-${n}.conf`);
    writeFileSync(cfile, text);
    const { engine } = load(cfile);
    const e1 = engine.fresh();
    const ids = candidates.map((line, i) => e1.process({ location: 'stdin', message: line, receivedAt: T0 + i, kind: 'localfile' })?.rule.id ?? 0);
    loaded.push({ share, n, engine, ids });
  }
  const same = candidates.map((_, i) => loaded.every((l) => l.ids[i] === loaded[0].ids[i]));
  const lines = candidates.filter((_, i) => same[i]);
  // Best of four runs each, taken in turns (10%, 50%, 100%, 10%, ...): this machine's speed moves
  // by tens of percent within minutes, and runs of one share back to back would compare one
  // minute's speed with another's.
  const best = loaded.map(() => undefined);
  for (let r = 0; r < 4; r++) {
    loaded.forEach(({ engine }, i) => {
      const { res } = runEngine(engine, lines, { latency: false });
      if (!best[i] || res.eventsPerS > best[i].eventsPerS) best[i] = res;
    });
  }
  const out = [];
  let baseline;
  for (const [i, { share, n, engine }] of loaded.entries()) {
    const row = { share, files: n, rules: engine.summary().rules, events: lines.length, eventsLeftOut: candidates.length - lines.length, eventsPerS: best[i].eventsPerS };
    if (!baseline) baseline = row;
    row.relative = row.eventsPerS / baseline.eventsPerS;
    row.sameResults = true;
    out.push(row);
    log(`scaling ${Math.round(share * 100)}% (${n} files, ${row.rules} rules): ${row.eventsPerS.toFixed(0)} ev/s (${row.relative.toFixed(2)}x) on ${lines.length} events (${row.eventsLeftOut} left out: a later rule file changes their result)`);
  }
  return out;
}
