/**
 * Local mode end to end, the real `ospatrol local` process as a user runs it:
 *  - throughput: a file tailed from its start -> engine (OSSEC ruleset) -> alerts.log + alerts.json
 *    + SQLite; events/s from the "started" log line to the last alert written by the last of the
 *    three outputs;
 *  - scheduling: N `command` localfiles at frequency F for D seconds; each run prints its own start
 *    time (`date +%s%N`), a local rule turns every output into an alert, and the drift of run k of a
 *    command is its start minus (its first start + k * F). Also the process's CPU, its zombies,
 *    descriptors and RSS over time, and processes left behind after it stops.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, cli, corpus, fileSize, ossecEtc, percentile, sleep } from './lib.mjs';

function startLocal(conf, dir, stderrLines) {
  const child = spawn(process.execPath, [cli, 'local', '-c', conf, '-D', dir, '--hostname', 'bench'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let buf = '';
  child.stderr.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      stderrLines.push({ t: performance.now(), line: buf.slice(0, i) });
      buf = buf.slice(i + 1);
    }
  });
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await Promise.race([done, sleep(20000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

function countAlerts(file) {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'latin1');
  let n = 0;
  for (let i = text.indexOf('** Alert '); i >= 0; i = text.indexOf('\n** Alert ', i + 1)) n++;
  return n;
}

/** The alert rows of a database, read through one read-only connection (`count` throws until it exists). */
async function rowCounter(dbFile) {
  const { default: Database } = await import('better-sqlite3');
  let db;
  return {
    count() {
      db ??= new Database(dbFile, { readonly: true, fileMustExist: true });
      return db.prepare('SELECT count(*) AS n FROM alert').get().n;
    },
    close: () => db?.close(),
  };
}

async function sqliteRows(dbFile) {
  const rows = await rowCounter(dbFile);
  try {
    return rows.count();
  } catch (e) {
    return `n/a (${e.message})`;
  } finally {
    rows.close();
  }
}

/**
 * `reps` runs, each right after a measure of the in-process engine on the same corpus
 * (`engineRate`): this machine's speed drifts by tens of percent within minutes, and a ratio of
 * two measures taken seconds apart holds better than one taken against the engine row's single
 * run. The median ratio is the result.
 */
export async function benchLocal({ events, reps = 3, engineRate, log = console.log }) {
  const runs = [];
  for (let i = 0; i < reps; i++) {
    const engineEventsPerS = engineRate ? await engineRate(events) : undefined;
    const r = await localRun({ events, log });
    runs.push({ ...r, engineEventsPerS, ratio: engineEventsPerS ? r.eventsPerS / engineEventsPerS : undefined });
    log(`local mode: ${r.eventsPerS.toFixed(0)} ev/s (${r.alerts} alerts in alerts.log, ${r.jsonLines} in alerts.json, ${r.dbRows} rows in SQLite)` + (engineEventsPerS ? `, engine just before: ${engineEventsPerS.toFixed(0)} ev/s` : ''));
  }
  const byRatio = [...runs].sort((a, b) => (a.ratio ?? a.eventsPerS) - (b.ratio ?? b.eventsPerS));
  const median = byRatio[byRatio.length >> 1];
  return { ...median, runs };
}

async function localRun({ events, log }) {
  const file = await corpus(events, { hostile: false });
  const work = join(cacheDir, `local-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tailed = join(work, 'input.log');
  writeFileSync(tailed, readFileSync(file));
  const conf = join(work, 'ospatrol.conf');
  const rules = readFileSync(join(ossecEtc, 'ossec-full-ruleset.conf'), 'utf8').match(/<rules>[\s\S]*<\/rules>/)[0]
    .replace(/<include>([^<]+)<\/include>/g, (_, f) => `<include>${join(ossecEtc, 'rules', f)}</include>`)
    .replace('<rules>', `<rules>\n<decoder>${join(ossecEtc, 'decoder.xml')}</decoder>`);
  writeFileSync(
    conf,
    `<ospatrol_config>\n<global><jsonout_output>yes</jsonout_output></global>\n<alerts><log_alert_level>1</log_alert_level></alerts>\n${rules}\n` +
      `<localfile><log_format>syslog</log_format><location>${tailed}</location><only-future-events>no</only-future-events></localfile>\n</ospatrol_config>\n`,
  );
  const dir = join(work, 'var');
  const lines = [];
  const child = startLocal(conf, dir, lines);
  const alertsLog = join(dir, 'logs', 'alerts', 'alerts.log');
  const alertsJson = join(dir, 'logs', 'alerts', 'alerts.json');
  const rows = await rowCounter(join(dir, 'alerts.db'));
  // The run ends when the last of the three outputs stops growing: alerts.log, alerts.json, SQLite.
  let started;
  let last = -1, lastSeen = '', lastChange = performance.now();
  const deadline = performance.now() + 30 * 60 * 1000;
  while (performance.now() < deadline && child.exitCode === null) {
    await sleep(200);
    started ??= lines.find((l) => / INFO started/.test(l.line))?.t;
    let stored = 0;
    try {
      stored = rows.count();
    } catch {} // not created yet
    const seen = `${fileSize(alertsLog)} ${fileSize(alertsJson)} ${stored}`;
    if (seen !== lastSeen) {
      lastSeen = seen;
      lastChange = performance.now();
      last = lastChange;
    } else if (started !== undefined && fileSize(alertsLog) > 0 && performance.now() - lastChange > 3000) break;
  }
  rows.close();
  const peakRssMb = peakRss(child.pid);
  await stop(child);
  if (started === undefined) log(lines.map((l) => l.line).join('\n'));
  const alerts = countAlerts(alertsLog);
  const jsonLines = existsSync(join(dir, 'logs', 'alerts', 'alerts.json')) ? readFileSync(join(dir, 'logs', 'alerts', 'alerts.json'), 'utf8').split('\n').filter(Boolean).length : 0;
  const dbRows = await sqliteRows(join(dir, 'alerts.db'));
  const seconds = started !== undefined && last > started ? (last - started) / 1000 : NaN;
  const res = { events, alerts, jsonLines, dbRows, seconds, eventsPerS: events / seconds, peakRssMb };
  rmSync(work, { recursive: true, force: true });
  return res;
}

/** The process's peak resident memory so far (VmHWM), in MB. */
function peakRss(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

function procStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]) };
  } catch {
    return undefined;
  }
}

function childrenOf(pid) {
  const out = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const st = procStat(p);
    if (st && st.ppid === pid) out.push({ pid: Number(p), state: st.state });
  }
  return out;
}

function withMarker(marker) {
  const out = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'latin1').includes(marker)) out.push(Number(p));
    } catch {}
  }
  return out;
}

export async function benchSchedule({ commands, frequency = 10, seconds, log = console.log }) {
  const work = join(cacheDir, `sched-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'rules'), { recursive: true });
  const marker = `ospbench${process.pid}`;
  writeFileSync(
    join(work, 'rules', 'drift_rules.xml'),
    `<group name="bench,">\n  <rule id="7" level="0"><category>ossec</category><description>root</description></rule>\n` +
      `  <rule id="101" level="3"><if_sid>7</if_sid><match>output: 'drift-</match><description>drift probe</description></rule>\n</group>\n`,
  );
  writeFileSync(join(work, 'decoder.xml'), `<decoder name="ospatrol"><prematch>^ospatrol: </prematch><type>ossec</type></decoder>\n`);
  let lf = '';
  for (let i = 0; i < commands; i++) {
    lf += `<localfile><log_format>command</log_format><command>date +%s%N # ${marker}</command><alias>drift-${i}</alias><frequency>${frequency}</frequency></localfile>\n`;
  }
  const conf = join(work, 'ospatrol.conf');
  writeFileSync(conf, `<ospatrol_config>\n<global><jsonout_output>no</jsonout_output></global>\n<rules><decoder>decoder.xml</decoder><include>drift_rules.xml</include></rules>\n${lf}</ospatrol_config>\n`);
  const dir = join(work, 'var');
  const lines = [];
  const child = startLocal(conf, dir, lines);
  const hz = 100; // USER_HZ
  let maxZombies = 0, cpu0, cpuT0, fd0, rss0, fdEnd, rssEnd;
  const t0 = performance.now(), startWall = Date.now();
  const sample = () => {
    const kids = childrenOf(child.pid);
    maxZombies = Math.max(maxZombies, kids.filter((k) => k.state === 'Z').length);
  };
  const status = () => {
    try {
      return {
        fds: readdirSync(`/proc/${child.pid}/fd`).length,
        rssMb: Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
      };
    } catch {
      return { fds: NaN, rssMb: NaN };
    }
  };
  // The first runs are spread over the first period, with start-up: measure CPU and resources after it.
  while (performance.now() - t0 < (seconds + 5) * 1000 && child.exitCode === null) {
    await sleep(500);
    sample();
    if (cpu0 === undefined && performance.now() - t0 > (frequency + 3) * 1000) {
      const st = procStat(child.pid);
      cpu0 = st.utime + st.stime;
      cpuT0 = performance.now();
      ({ fds: fd0, rssMb: rss0 } = status());
    }
  }
  const st = procStat(child.pid);
  const cpuPct = cpu0 !== undefined && st ? ((st.utime + st.stime - cpu0) / hz / ((performance.now() - cpuT0) / 1000)) * 100 : NaN;
  ({ fds: fdEnd, rssMb: rssEnd } = status());
  const stopWall = Date.now();
  await stop(child);
  if (!lines.some((l) => / INFO started/.test(l.line))) log(lines.map((l) => l.line).join('\n'));
  await sleep(500);
  const leftovers = withMarker(marker).length;
  const alertsLog = join(dir, 'logs', 'alerts', 'alerts.log');
  const text = existsSync(alertsLog) ? readFileSync(alertsLog, 'utf8') : '';
  const runs = new Map();
  for (const m of text.matchAll(/\n\d{4} \w{3} \d{2} [\d:]{8} (?:\S+->)?(drift-\d+)\nRule: 101 [^\n]*\nospatrol: output: 'drift-\d+': (\d+)\n/g)) {
    const ns = BigInt(m[2]);
    (runs.get(m[1]) ?? runs.set(m[1], []).get(m[1])).push(Number(ns / 1000000n));
  }
  const drifts = [];
  // Commands start staggered over the first period (not all at start-up): each one is expected to
  // have run at its first start and at every grid point after, up to 1 s before the stop (later
  // runs may have been cut short by it); a command never seen should have run once per period.
  const F = frequency * 1000, cut = stopWall - 1000;
  let runCount = 0, expectedRuns = (commands - runs.size) * Math.max(0, Math.floor((cut - startWall) / F));
  for (const ts of runs.values()) {
    ts.sort((a, b) => a - b);
    const expected = Math.floor((cut - ts[0]) / F) + 1;
    expectedRuns += expected;
    runCount += Math.min(expected, ts.filter((t) => t <= stopWall).length);
    for (let k = 1; k < ts.length; k++) drifts.push(Math.abs(ts[k] - (ts[0] + k * F)));
  }
  drifts.sort((a, b) => a - b);
  const res = {
    commands,
    frequencyS: frequency,
    seconds,
    commandsSeen: runs.size,
    runs: runCount,
    expectedRuns,
    driftP50Ms: percentile(drifts, 50),
    driftP99Ms: percentile(drifts, 99),
    driftMaxMs: drifts[drifts.length - 1],
    cpuPercent: cpuPct,
    maxZombies,
    leftoverProcesses: leftovers,
    fds: { afterFirstPeriod: fd0, end: fdEnd },
    rssMb: { afterFirstPeriod: rss0, end: rssEnd },
  };
  log(
    `scheduling ${commands} commands every ${frequency} s for ${seconds} s: drift p50 ${res.driftP50Ms} ms, p99 ${res.driftP99Ms} ms, max ${res.driftMaxMs} ms, ` +
      `CPU ${cpuPct.toFixed(0)}%, ${runCount}/${res.expectedRuns} runs, zombies max ${maxZombies}, left behind ${leftovers}`,
  );
  rmSync(work, { recursive: true, force: true });
  return res;
}
