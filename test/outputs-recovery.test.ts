/**
 * Durable delivery end to end: a real `ospatrol local` process feeding PostgreSQL and MariaDB
 * servers (started in temporary folders), a syslog receiver, alerts.log, alerts.json and the
 * SQLite store, while a log file keeps producing alerts. Both databases are stopped while alerts
 * flow and started again; then the manager is killed with SIGKILL and restarted. Every alert must
 * end up in every store exactly once (syslog: at least once), and `ospatrol status` must show the
 * outage while it lasts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { alertRecords, cliPath, readIfExists, scratch, startLocal, waitFor, writeConfig, type Running } from './support/local-process.js';
import { startMariadb, type MariadbServer } from './support/mariadb.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';
import { streamReceiver, type SyslogReceiver } from './support/syslog-receiver.js';

const RULE = `<group name="local,flow,">
  <rule id="510100" level="6">
    <match>osp-flow</match>
    <description>Flow event.</description>
  </rule>
</group>`;

/** What each log line carries besides its counter: every character OSSEC's dbd mangled or choked on. */
const TAIL = `it's "q" \\ 100% $1 ? 😀 '); DROP TABLE x;--`;

let pgServer: PostgresServer;
let mariadb: MariadbServer;
let syslog: SyslogReceiver;

before(async () => {
  // allSettled: a server that did start is assigned, so after() stops it even if another failed.
  const [p, m, s] = await Promise.allSettled([startPostgres(), startMariadb(), streamReceiver('tcp')]);
  if (p.status === 'fulfilled') pgServer = p.value;
  if (m.status === 'fulfilled') mariadb = m.value;
  if (s.status === 'fulfilled') syslog = s.value;
  for (const r of [p, m, s]) if (r.status === 'rejected') throw r.reason;
});

after(async () => {
  await Promise.allSettled([pgServer?.destroy(), mariadb?.destroy(), syslog?.close()]);
});

/** Appends `osp-flow` lines at a steady pace until stopped. */
function flow(file: string): { written: () => number; stop: () => void } {
  let n = 0;
  const t = setInterval(() => {
    let text = '';
    for (let i = 0; i < 5; i++) text += `Nov 24 10:00:00 web1 app[42]: osp-flow n=${++n} ${TAIL}\n`;
    appendFileSync(file, text);
  }, 20);
  return { written: () => n, stop: () => clearInterval(t) };
}

function status(state: string): { code: number | null; json: { outputs: Array<{ output: string; lag: number; lastError?: string; seq: number }>; journal: { lastSeq: number } } } {
  const r = spawnSync(process.execPath, [cliPath, 'status', '-D', state, '--json'], { encoding: 'utf8' });
  // Before the manager created its journal there is nothing to show yet.
  return { code: r.status, json: r.stdout ? JSON.parse(r.stdout) : { outputs: [], journal: { lastSeq: 0 } } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('databases stopped while alerts flow, then the manager killed -9: every alert arrives once everywhere', async () => {
  const dir = scratch('osp-recovery-');
  const events = join(dir, 'events.log');
  writeFileSync(events, '');
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '\\<');
  const conf = writeConfig(
    dir,
    `<localfile><log_format>syslog</log_format><location>${events}</location><only-future-events>no</only-future-events></localfile>
  <database_output>
    <type>postgresql</type><hostname>${pgServer.host}</hostname><port>${pgServer.port}</port>
    <username>${pgServer.user}</username><password>${xml(pgServer.password)}</password><database>${pgServer.database}</database>
  </database_output>
  <database_output>
    <type>mysql</type><hostname>${mariadb.host}</hostname><port>${mariadb.port}</port>
    <username>${mariadb.user}</username><password>${xml(mariadb.password)}</password><database>${mariadb.database}</database>
  </database_output>
  <syslog_output><server>127.0.0.1</server><port>${syslog.port}</port><protocol>tcp</protocol><format>json</format></syslog_output>`,
    RULE,
  );
  const state = join(dir, 'var');
  let run: Running = startLocal(conf, state, 'manager1');
  const writer = flow(events);
  const measured: string[] = [];
  try {
    await waitFor('first alerts in the databases', () => {
      const s = status(state).json;
      return s.journal.lastSeq > 50 && s.outputs.every((o) => o.seq > 0);
    }, 20_000);

    // 1. Both databases go down while alerts keep coming.
    await Promise.all([pgServer.stop(), mariadb.stop()]);
    await sleep(1500);
    const during = status(state);
    assert.equal(during.code, 1, 'status exits 1 while an output fails');
    for (const kind of ['postgresql', 'mysql']) {
      const o = during.json.outputs.find((x) => x.output.startsWith(kind))!;
      assert.ok(o.lag > 0, `${kind} lag ${o.lag}`);
      assert.ok(o.lastError, `${kind} shows its error`);
    }
    const text = spawnSync(process.execPath, [cliPath, 'status', '-D', state], { encoding: 'utf8' }).stdout;
    assert.match(text, /postgresql-ospatrol@127\.0\.0\.1-\d+-alerts.*FAILING/);
    assert.doesNotMatch(text + run.stderr(), /w0rd|ia pw/, 'no password in status or logs');
    const lagAtRestart = Math.max(...during.json.outputs.map((o) => o.lag));
    await Promise.all([pgServer.start(), mariadb.start()]);
    const t0 = Date.now();
    await waitFor('databases caught up', () => {
      const s = status(state).json;
      return s.outputs.every((o) => o.lag < 50 && !o.lastError);
    }, 40_000);
    measured.push(`databases back: a backlog of ~${lagAtRestart} alerts delivered in ${Date.now() - t0} ms (including the retry back-off)`);
    assert.match(run.stderr(), /output: delivery failed; retrying/);
    // The log line and the cursor file are written at nearly the same time; the pipe may lag.
    await waitFor('the recovery in the log', () => /output: delivering again/.test(run.stderr()), 5000);

    // 2. The manager is killed mid-flow, alerts are written while it is down, then it restarts.
    await sleep(500);
    run.child.kill('SIGKILL');
    await run.stop();
    await sleep(700);
    const t1 = Date.now();
    run = startLocal(conf, state, 'manager1');
    await sleep(1000);
    writer.stop();
    const written = writer.written();
    await waitFor('every line analysed and every output caught up', () => {
      const s = status(state).json;
      const text = readIfExists(join(state, 'logs', 'alerts', 'alerts.log'));
      return text.includes(`osp-flow n=${written} `) && s.outputs.every((o) => o.lag === 0);
    }, 40_000);
    measured.push(`restart after kill -9: all outputs at lag 0 ${Date.now() - t1} ms after the new process started`);
    assert.equal(await run.stop(), 0, run.stderr());

    // The journal is the reference: every alert it holds, in every output, once.
    const jdir = join(state, 'queue', 'alerts');
    const journalIds = readdirSync(jdir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort()
      .flatMap((n) => readFileSync(join(jdir, n), 'utf8').split('\n').filter(Boolean))
      .map((l) => (JSON.parse(l) as { alert: { id: string } }).alert.id);
    const want = [...new Set(journalIds)].sort();
    assert.equal(want.length, journalIds.length, 'alert ids are unique across the restart');
    assert.ok(want.length >= written, `${want.length} alerts for ${written} lines`);

    const sorted = (ids: string[]) => [...ids].sort();
    const logIds = alertRecords(readIfExists(join(state, 'logs', 'alerts', 'alerts.log'))).map((r) => /^\*\* Alert (\S+):/.exec(r)![1]);
    assert.deepEqual(sorted(logIds), want, 'alerts.log: each alert once');
    const jsonIds = readIfExists(join(state, 'logs', 'alerts', 'alerts.json')).split('\n').filter(Boolean).map((l) => JSON.parse(l).id as string);
    assert.deepEqual(sorted(jsonIds), want, 'alerts.json: each alert once');

    const lite = new Database(join(state, 'alerts.db'), { readonly: true });
    const liteIds = (lite.prepare('SELECT alertid FROM alert').all() as Array<{ alertid: string }>).map((r) => r.alertid);
    lite.close();
    assert.deepEqual(sorted(liteIds), want, 'SQLite: each alert once');

    const pc = new pg.Client({ host: pgServer.host, port: pgServer.port, user: pgServer.user, password: pgServer.password, database: pgServer.database });
    await pc.connect();
    const pgIds = (await pc.query<{ alertid: string }>('SELECT alertid FROM alert')).rows.map((r) => r.alertid);
    const sample = await pc.query<{ full_log: string; name: string }>(
      `SELECT a.full_log, l.name FROM alert a JOIN location l ON l.id = a.location_id WHERE a.full_log LIKE $1 LIMIT 1`,
      ['%osp-flow n=1 %'],
    );
    await pc.end();
    assert.deepEqual(sorted(pgIds), want, 'PostgreSQL: each alert once');
    assert.equal(sample.rows[0].full_log, `Nov 24 10:00:00 web1 app[42]: osp-flow n=1 ${TAIL}`);
    assert.equal(sample.rows[0].name, events);

    const mc = await mysql.createConnection({ host: mariadb.host, port: mariadb.port, user: mariadb.user, password: mariadb.password, database: mariadb.database, charset: 'utf8mb4' });
    const [rows] = await mc.query<mysql.RowDataPacket[]>('SELECT alertid FROM alert');
    await mc.end();
    assert.deepEqual(sorted(rows.map((r) => String(r.alertid))), want, 'MariaDB: each alert once');

    // Syslog over TCP: at least once (the protocol has no acknowledgements).
    const syslogIds = new Set(syslog.messages.map((m) => JSON.parse(m.slice(m.indexOf('{'))).alert_id as string));
    assert.deepEqual(want.filter((id) => !syslogIds.has(id)), [], 'syslog: every alert');

    // Nothing the log file said was lost (after SIGKILL the log source may read a few lines again).
    const seen = new Set(logIds.length ? readIfExists(join(state, 'logs', 'alerts', 'alerts.log')).match(/osp-flow n=\d+/g) : []);
    for (let n = 1; n <= written; n++) assert.ok(seen.has(`osp-flow n=${n}`), `line ${n} has an alert`);

    // `ospatrol alerts` reads the store back as alerts.log prints it.
    const cli = spawnSync(process.execPath, [cliPath, 'alerts', '-D', state, '--rule', '510100', '--since', '1h', '--json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout.split('\n').filter(Boolean).length, want.length);
    const last = spawnSync(process.execPath, [cliPath, 'alerts', '-D', state, '--limit', '3'], { encoding: 'utf8' });
    const lastRecords = alertRecords(last.stdout);
    assert.equal(lastRecords.length, 3);
    const logRecords = new Set(alertRecords(readIfExists(join(state, 'logs', 'alerts', 'alerts.log'))));
    for (const r of lastRecords) assert.ok(logRecords.has(r), `printed exactly as in alerts.log:\n${r}`);
    for (const line of measured) process.stdout.write(`# measured: ${line}\n`);
    process.stdout.write(`# measured: ${want.length} alerts for ${written} log lines\n`);
  } finally {
    writer.stop();
    await run.stop();
  }
});
