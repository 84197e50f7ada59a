/**
 * `logtest -a`, whole process, ours against the real `ossec-logtest -a`, both with the whole OSSEC
 * 4.3.0 ruleset, on the same corpus, in the same run. Each is run `reps` times, interleaved, pinned
 * to one core (taskset), best wall time kept. Ours is also run on both cores, one thread and then
 * `--threads 2` (a worker thread and the main thread share decoding and the stateless rule
 * filters, the main thread runs the stateful ones in order: src/analysis/parallel/). The alerts of
 * both engines are compared record by record. The machine's parallel capacity (lib.mjs) is measured
 * before and after the parallel runs of each size.
 */
import { join } from 'node:path';
import { cacheDir, canRunOssec, cli, compareAlerts, corpus, normalisedAlerts, oracle, ossecConf, parallelCapacity, runTimed } from './lib.mjs';


export async function benchLogtest({ sizes, reps = 2, log = console.log }) {
  const out = [];
  for (const events of sizes) {
    // Without the hostile lines: ossec-logtest reads lines with fgets into a 6 KiB buffer, so a
    // 1 MB line is ~170 events there and one here; those are timed alone (bench/engine.mjs).
    const file = await corpus(events, { hostile: false });
    const runs = { ossec: [], ours1: [], ours2: [], parallel2: [] };
    const capacity = [parallelCapacity()];
    const outFile = (name) => join(cacheDir, `alerts-${name}-${events}.log`);
    for (let r = 0; r < reps; r++) {
      if (canRunOssec) runs.ossec.push(await runTimed(oracle, ['ossec', '-q', '-a'], { stdin: file, stdout: outFile('ossec'), cpuList: '0' }));
      runs.ours1.push(await runTimed(process.execPath, [cli, 'logtest', '-q', '-a', '-c', ossecConf], { stdin: file, stdout: outFile('ours'), cpuList: '0' }));
      runs.ours2.push(await runTimed(process.execPath, [cli, 'logtest', '-q', '-a', '-c', ossecConf], { stdin: file, stdout: outFile('ours2'), cpuList: '0,1' }));
      runs.parallel2.push(await runTimed(process.execPath, [cli, 'logtest', '-q', '-a', '--threads', '2', '-c', ossecConf], { stdin: file, stdout: outFile('par'), cpuList: '0,1' }));
    }
    capacity.push(parallelCapacity());
    const best = (xs) => (xs.length === 0 ? undefined : xs.reduce((a, b) => (b.wall < a.wall ? b : a)));
    const row = { events, parallelCapacity: capacity.filter(Boolean).map((c) => Number(c.capacity.toFixed(2))) };
    for (const [k, xs] of Object.entries(runs)) {
      const b = best(xs);
      if (!b) continue;
      row[k] = { wallS: b.wall, userS: b.user, sysS: b.sys, peakRssMb: b.rssMb, eventsPerS: events / b.wall, exit: b.code, runs: xs.map((x) => x.wall) };
    }
    const ours = normalisedAlerts(outFile('ours'));
    row.alerts = { ours: ours.length };
    const par = normalisedAlerts(outFile('par'));
    row.parallelSameAsSerial = compareAlerts(ours, par).identical;
    if (row.ossec) {
      const cmp = compareAlerts(normalisedAlerts(outFile('ossec')), ours);
      row.alerts.ossec = cmp.countA;
      row.alerts.identicalInOrder = cmp.identicalInOrder;
      row.alerts.identical = cmp.identical;
      row.alerts.ruleCountDifferences = cmp.ruleCountDifferences.slice(0, 20);
      if (cmp.firstDifference) row.alerts.firstDifference = cmp.firstDifference;
      row.ratio1 = row.ours1.eventsPerS / row.ossec.eventsPerS;
      row.ratio2 = row.ours2.eventsPerS / row.ossec.eventsPerS;
      row.ratioParallel = row.parallel2.eventsPerS / row.ossec.eventsPerS;
    }
    row.parallelGain = row.parallel2.eventsPerS / row.ours1.eventsPerS - 1;
    log(
      `logtest ${events}: ossec ${row.ossec ? row.ossec.eventsPerS.toFixed(0) : 'n/a'} ev/s, ours(1 core) ${row.ours1.eventsPerS.toFixed(0)}` +
        ` ev/s, ours(2 cores) ${row.ours2.eventsPerS.toFixed(0)}, parallel ${row.parallel2.eventsPerS.toFixed(0)}; alerts ${row.alerts.ossec ?? '-'} vs ${row.alerts.ours}` +
        `${row.alerts.identical === false ? ` (${row.alerts.identicalInOrder} identical in order)` : ''}`,
    );
    out.push(row);
  }
  return out;
}
