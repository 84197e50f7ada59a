#!/usr/bin/env node
/**
 * `logtest -a` on two threads, for the benchmark: the same output as `ospatrol logtest -q -a -c
 * <conf>` (alerts.log records on stdout), with decoding in a worker thread and the rules on the
 * main thread (src/analysis/parallel/pipeline.ts).
 *   node bench/logtest-parallel.mjs -c <config> < corpus > alerts
 */
import { join } from 'node:path';
import { dist } from './lib.mjs';

const { loadEngine } = await import(join(dist, 'analysis', 'engine.js'));
const { loadConfig } = await import(join(dist, 'config', 'load.js'));
const { runPipeline } = await import(join(dist, 'analysis', 'parallel', 'pipeline.js'));
const { formatAlertsLog } = await import(join(dist, 'alerts', 'alerts-log-format.js'));
const { shortHostname } = await import(join(dist, 'events', 'hostname.js'));

const i = process.argv.indexOf('-c');
const configFile = i >= 0 ? process.argv[i + 1] : join(dist, '..', 'etc', 'ospatrol.conf');
const config = loadConfig(configFile);
const hostname = config.global.hostname ?? shortHostname();
const engine = loadEngine({ config, hostname, logtest: true, warn: (m) => process.stderr.write(`WARN: ${m}\n`) });
let out = '';
await runPipeline({
  configFile,
  engine,
  hostname,
  fd: 0,
  location: 'stdin',
  onAlert: (a) => {
    out += formatAlertsLog(a);
  },
  onBatch: () => {
    if (out.length > 0) {
      process.stdout.write(out);
      out = '';
    }
  },
});
process.stdout.write(out);
