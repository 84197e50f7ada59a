/**
 * Local mode under load: the tailed file keeps the main thread saturated, so analysis worker
 * threads start (analysis/parallel/), and the alerts must be those of one thread, in order, in
 * every output. After a stop, the file positions must cover exactly what was analysed: a restart
 * reads nothing again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCorpus } from '../bench/corpus.mjs';
import { conformanceAvailable, conformanceDir } from './support/conformance.js';
import { alertRecords, readIfExists, scratch, startLocal, waitFor } from './support/local-process.js';

const available = conformanceAvailable();
const skip = available === true ? false : available;
const EVENTS = 40000;

function config(dir: string, input: string): string {
  const etc = join(conformanceDir, 'ossec-4.3.0', 'etc');
  const rules = readFileSync(join(etc, 'ossec-full-ruleset.conf'), 'utf8')
    .match(/<rules>[\s\S]*<\/rules>/)![0]
    .replace(/<include>([^<]+)<\/include>/g, (_, f: string) => `<include>${join(etc, 'rules', f)}</include>`)
    .replace('<rules>', `<rules>\n<decoder>${join(etc, 'decoder.xml')}</decoder>`);
  const conf = join(dir, 'ospatrol.conf');
  writeFileSync(
    conf,
    `<ospatrol_config>\n<global><jsonout_output>yes</jsonout_output></global>\n<alerts><log_alert_level>1</log_alert_level></alerts>\n${rules}\n` +
      `<localfile><log_format>syslog</log_format><location>${input}</location><only-future-events>no</only-future-events></localfile>\n</ospatrol_config>\n`,
  );
  return conf;
}

/** Runs local mode over the file until alerts.log stops growing; returns its records without ids and dates. */
async function runUntilQuiet(conf: string, state: string, args: string[]): Promise<{ records: string[]; json: number; log: string }> {
  const run = startLocal(conf, state, 'bench', args);
  const alertsLog = join(state, 'logs', 'alerts', 'alerts.log');
  let last = -1;
  let since = Date.now();
  await waitFor('alerts.log to stop growing', () => {
    const size = readIfExists(alertsLog).length;
    if (size !== last) {
      last = size;
      since = Date.now();
    }
    return size > 0 && Date.now() - since > 3000;
  }, 120000);
  assert.equal(await run.stop(), 0, run.stderr());
  const records = alertRecords(readIfExists(alertsLog)).map((r) => r.replace(/^\*\* Alert [\d.]+:/, '** Alert:').replace(/\n\d{4} \w{3} \d{2} \d{2}:\d{2}:\d{2} /, '\n'));
  const json = readIfExists(join(state, 'logs', 'alerts', 'alerts.json')).split('\n').filter(Boolean).length;
  return { records, json, log: run.stderr() };
}

test('worker threads under load: the alerts of one thread, and a restart reads nothing again', { skip, timeout: 300000 }, async () => {
  const dir = scratch('local-threads');
  const input = join(dir, 'input.log');
  await writeCorpus({ events: EVENTS, seed: 9, out: input, hostile: false });
  const conf = config(dir, input);

  const one = await runUntilQuiet(conf, join(dir, 'one'), ['--threads', '1']);
  assert.doesNotMatch(one.log, /worker thread started/);
  assert.ok(one.records.length > 10000, `${one.records.length} alerts`);

  const many = await runUntilQuiet(conf, join(dir, 'many'), ['--threads', '2']);
  assert.match(many.log, /analysis is busy: worker thread started workers=1/);
  assert.equal(many.records.length, one.records.length);
  for (let i = 0; i < one.records.length; i++) assert.equal(many.records[i], one.records[i], `alert ${i}`);
  assert.equal(many.json, one.records.length);

  // Every position was acknowledged before the stop saved it: nothing is read twice.
  const again = startLocal(conf, join(dir, 'many'), 'bench', ['--threads', '2']);
  await waitFor('started', () => /INFO started/.test(again.stderr()));
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(await again.stop(), 0);
  assert.equal(alertRecords(readIfExists(join(dir, 'many', 'logs', 'alerts', 'alerts.log'))).length, one.records.length);
});
