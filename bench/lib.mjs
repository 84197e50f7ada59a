/** Shared helpers of the benchmarks: paths, corpora, timed child processes, alert comparison. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpus } from './corpus.mjs';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
export const dist = join(root, 'dist');
// OSP_BENCH_CLI: another build's CLI (an A/B run against an older commit's worktree).
export const cli = process.env.OSP_BENCH_CLI ?? join(root, 'bin', 'ospatrol.js');
export const shared = join(root, '..', 'shared');
export const ossecEtc = join(shared, 'conformance', 'ossec-4.3.0', 'etc');
export const ossecConf = join(ossecEtc, 'ossec-full-ruleset.conf');
export const ownConf = join(root, 'etc', 'ospatrol.conf');
export const oracle = join(shared, 'oracle', 'logtest');
export const cacheDir = join(tmpdir(), 'ospatrol-bench');
mkdirSync(cacheDir, { recursive: true });

export const hasTime = existsSync('/usr/bin/time');
export const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
export const canRunOssec = existsSync(oracle) && existsSync(ossecConf) && process.getuid?.() === 0;

/** The cached corpus file of `events` lines for `seed` (generated once per machine). */
export async function corpus(events, { seed = 1, hostile = true } = {}) {
  const file = join(cacheDir, `corpus-s${seed}-${events}${hostile ? '-h' : ''}.log`);
  if (!existsSync(file)) await writeCorpus({ events, seed, out: file + '.tmp', hostile }).then(() => spawnSync('mv', [file + '.tmp', file]));
  return file;
}

/** Lines of a corpus as logtest reads them (readline: \n, \r\n and \r end a line), without the short ones. */
export function corpusLines(file) {
  return readFileSync(file, 'utf8').split(/\r\n|\n|\r/).filter((l) => l.length >= 2);
}

/**
 * Runs a command with stdin from a file and stdout to a file, optionally pinned to CPUs, and
 * returns wall time, CPU time and peak RSS (from /usr/bin/time, which reports the largest process
 * of the tree it waits for).
 */
export function runTimed(cmd, args, { stdin, stdout, cpuList, env } = {}) {
  return new Promise((resolve, reject) => {
    const timeOut = join(cacheDir, `time-${process.pid}-${Date.now()}.txt`);
    let argv = [cmd, ...args];
    if (cpuList && hasTaskset) argv = ['taskset', '-c', cpuList, ...argv];
    if (hasTime) argv = ['/usr/bin/time', '-f', '%e %U %S %M', '-o', timeOut, ...argv];
    const inFd = stdin ? openSync(stdin, 'r') : 'ignore';
    const outFd = stdout ? openSync(stdout, 'w') : 'ignore';
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: [inFd, outFd, 'ignore'], env: env ?? process.env });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (typeof inFd === 'number') closeSync(inFd);
      if (typeof outFd === 'number') closeSync(outFd);
      let user = NaN, sys = NaN, rssMb = NaN, w = wall;
      if (hasTime && existsSync(timeOut)) {
        const parts = readFileSync(timeOut, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        [w, user, sys] = parts;
        rssMb = parts[3] / 1024;
        rmSync(timeOut, { force: true });
      }
      resolve({ code, wall: w, user, sys, rssMb });
    });
  });
}

/**
 * alerts.log records made comparable across the two engines: the alert id and date are dropped
 * (they depend on when each ran) and every line is cut at 1256 bytes, OSSEC's `%.1256s` (ours
 * prints full_log whole; docs/differences.md).
 */
export function normalisedAlerts(file) {
  const text = readFileSync(file).toString('utf8');
  const records = text.split(/\n(?=\*\* Alert \d+\.\d+:)/).filter((r) => r.startsWith('** Alert'));
  return records.map((r) => {
    let lines = r.replace(/\n+$/, '').split('\n');
    // Our check_diff alerts add a "What changed:" block after the previous output (an OSPatrol
    // addition, docs/differences.md): compared without it.
    const w = lines.findIndex((l) => l.startsWith('What changed: '));
    if (w > 0 && lines.slice(0, w).includes('Previous output:')) lines = lines.slice(0, w);
    lines[0] = lines[0].replace(/^\*\* Alert \d+\.\d+:/, '** Alert:');
    lines[1] = lines[1].replace(/^\d{4} \w{3} \d{2} \d{2}:\d{2}:\d{2} /, '');
    return lines.map((l) => (Buffer.byteLength(l) > 1256 ? Buffer.from(l).subarray(0, 1256).toString('utf8') : l)).join('\n');
  });
}

/** Compares two normalised alert lists: counts, equal records in order, rule ids that differ. */
export function compareAlerts(a, b) {
  let same = 0;
  const n = Math.min(a.length, b.length);
  let firstDiff = -1;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) same++;
    else if (firstDiff < 0) firstDiff = i;
  }
  const rules = (xs) => {
    const m = new Map();
    for (const x of xs) {
      const id = /\nRule: (\d+)/.exec(x)?.[1] ?? '?';
      m.set(id, (m.get(id) ?? 0) + 1);
    }
    return m;
  };
  const ra = rules(a), rb = rules(b);
  const diff = [];
  for (const id of new Set([...ra.keys(), ...rb.keys()])) {
    const x = ra.get(id) ?? 0, y = rb.get(id) ?? 0;
    if (x !== y) diff.push(`${id}: ${x} vs ${y}`);
  }
  return {
    countA: a.length,
    countB: b.length,
    identicalInOrder: same,
    identical: a.length === b.length && same === a.length,
    firstDifference: firstDiff < 0 ? undefined : { index: firstDiff, a: a[firstDiff], b: b[firstDiff] },
    ruleCountDifferences: diff,
  };
}

export function machineInfo() {
  const c = cpus();
  const git = (args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  let meminfo = '';
  try {
    meminfo = /MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? '';
  } catch {}
  return {
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain']).length > 0,
    node: process.version,
    cpus: c.length,
    cpuModel: c[0]?.model,
    memMb: meminfo ? Math.round(Number(meminfo) / 1024) : undefined,
    loadAvg: (() => {
      try {
        return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
      } catch {
        return undefined;
      }
    })(),
    kernel: spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout?.trim(),
  };
}

export function fileSize(f) {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a');

/**
 * What the machine's second core is worth right now: a fixed CPU loop alone on core 0, then two
 * copies at once on cores 0 and 1; the capacity is 2 x (time alone) / (time of the pair), 2.0 on
 * two free cores. On shared machines the second vCPU is often not free (seen here: 1.3x to 2.0x
 * within minutes), which bounds any parallel gain measured in the same minutes.
 */
export function parallelCapacity(reps = 3) {
  if (!hasTaskset) return undefined;
  const loop = 'let x=0;for(let i=0;i<2e8;i++)x+=i%7;';
  const timeOf = (cpus) => {
    const t = performance.now();
    const script = cpus.map((c) => `taskset -c ${c} ${process.execPath} -e '${loop}' &`).join(' ') + ' wait';
    spawnSync('bash', ['-c', script]);
    return performance.now() - t;
  };
  const ratios = [];
  for (let r = 0; r < reps; r++) ratios.push((2 * timeOf([0])) / timeOf([0, 1]));
  ratios.sort((a, b) => a - b);
  return { capacity: ratios[Math.floor(ratios.length / 2)], runs: ratios };
}
