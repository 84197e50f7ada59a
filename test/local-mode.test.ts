/**
 * The seed scenario end to end: `ospatrol local` as a real process, a real full_command whose
 * output the test controls, the user's check_diff rule, and the three local outputs read back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { alertRecords, cliPath, jsonAlerts, readIfExists, readWhole, scratch, startLocal, waitFor, writeConfig } from './support/local-process.js';

const USER_RULE = `<group name="local,">
  <rule id="510000" level="10">
    <if_sid>530</if_sid>
    <match>ospatrol: output: 'netstat'</match>
    <check_diff/>
    <description>Listened ports have changed.</description>
  </rule>
</group>`;

const PORTS_1 = 'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n';
const PORTS_2 = PORTS_1 + 'tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN\n';

function dbRows(stateDir: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(join(stateDir, 'alerts.db'), { readonly: true, fileMustExist: true });
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } catch {
    return []; // not created yet, or its schema not yet migrated
  } finally {
    db?.close();
  }
}

// Each output consumes the alert stream on its own, so alerts.json and the database may trail
// alerts.log by a moment: wait for each rather than assume.
const inJson = (stateDir: string, ruleId: number) => waitFor(`the alerts.json record of ${ruleId}`, () => jsonAlerts(stateDir, ruleId).length > 0);
const inDb = (stateDir: string, sql: string, ...params: unknown[]) =>
  waitFor('the database row', () => {
    const rows = dbRows(stateDir, sql, ...params);
    return rows.length > 0 && rows;
  });

test('check_diff on a full_command: baseline silently, one alert on change, in alerts.log, JSON and SQLite', async () => {
  const dir = scratch();
  const ports = join(dir, 'ports.txt');
  writeFileSync(ports, PORTS_1);
  const conf = writeConfig(
    dir,
    `<localfile>
    <log_format>full_command</log_format>
    <command>cat ${ports}</command>
    <alias>netstat</alias>
    <frequency>1</frequency>
  </localfile>`,
    USER_RULE,
  );
  const state = join(dir, 'var');
  const run = startLocal(conf, state, 'host');
  try {
    const diffFile = join(state, 'queue', 'diff', 'host', '510000', 'last-entry');
    await waitFor('the baseline state file', () => existsSync(diffFile));
    assert.equal(statSync(diffFile).mode & 0o777, 0o600);
    // Two more runs of the unchanged command: still no alert.
    await new Promise((r) => setTimeout(r, 2200));
    const alertsLog = join(state, 'logs', 'alerts', 'alerts.log');
    assert.doesNotMatch(readIfExists(alertsLog), /Rule: 510000/);

    writeFileSync(ports, PORTS_2);
    const text = await waitFor('the alert', () => {
      const t = readWhole(alertsLog, '\n\n');
      return /Rule: 510000/.test(t) && t;
    });
    // Let a few more unchanged runs pass: still exactly one alert.
    await new Promise((r) => setTimeout(r, 2200));
    const records = alertRecords(readWhole(alertsLog, '\n\n')).filter((r) => r.includes('Rule: 510000'));
    assert.equal(records.length, 1, text);
    const lines = records[0].split('\n');
    assert.match(lines[0], /^\*\* Alert \d{10}\.\d+: mail  - local,$/);
    assert.match(lines[1], /^\d{4} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} host->netstat$/);
    assert.equal(lines[2], "Rule: 510000 (level 10) -> 'Listened ports have changed.'");
    assert.equal(
      lines.slice(3).join('\n'),
      `ospatrol: output: 'netstat':\n${PORTS_2.trimEnd()}\nPrevious output:\nospatrol: output: 'netstat':\n${PORTS_1.trimEnd()}\n` +
        // OSSEC's record ends here; OSPatrol adds what changed (docs/check-diff.md).
        'What changed: 1 line added, 0 removed (compared as text)\n--- previous\n+++ current\n@@ -1,2 +1,3 @@\n' +
        ` ospatrol: output: 'netstat':\n ${PORTS_1.trimEnd()}\n+${PORTS_2.trimEnd().split('\n')[1]}\n\n`,
    );

    await inJson(state, 510000);
    const json = jsonAlerts(state, 510000);
    assert.equal(json.length, 1);
    assert.equal(json[0].rule.level, 10);
    assert.equal(json[0].rule.description, 'Listened ports have changed.');
    assert.equal(json[0].agent.name, 'host');
    assert.equal(json[0].location, 'netstat');
    assert.equal(json[0].full_log, `ospatrol: output: 'netstat':\n${PORTS_2.trimEnd()}`);
    assert.equal(json[0].previous_output, `ospatrol: output: 'netstat':\n${PORTS_1.trimEnd()}`);

    const rows = await inDb(
      state,
      'SELECT a.rule_id, a.level, a.full_log, a.previous_output, l.name AS location FROM alert a JOIN location l ON l.id = a.location_id WHERE a.rule_id = ?',
      510000,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0].location, 'netstat');
    assert.equal(rows[0].level, 10);
    assert.equal(rows[0].full_log, json[0].full_log);
    assert.equal(rows[0].previous_output, json[0].previous_output);
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('a command full of quotes, without alias: its location reaches alerts.log, JSON and SQLite intact', async () => {
  const dir = scratch();
  const flag = join(dir, 'flag');
  // An awk program with printf formats and single quotes, as in OSSEC's own default commands.
  const command = `awk 'BEGIN{printf "%-8s|%s\\n", "port", (system("test -e ${flag}") == 0 ? "8080" : "22")}'; echo "it's \\"quoted\\" \\\\ '); DROP TABLE x;--"`;
  const conf = writeConfig(
    dir,
    `<localfile>
    <log_format>full_command</log_format>
    <command>${command}</command>
    <frequency>1</frequency>
  </localfile>`,
    `<group name="local,">
  <rule id="510001" level="8">
    <if_sid>530</if_sid>
    <match>output: 'awk</match>
    <check_diff/>
    <description>Quoted command output changed.</description>
  </rule>
</group>`,
  );
  const state = join(dir, 'var');
  const run = startLocal(conf, state, 'host');
  try {
    await waitFor('the baseline', () => existsSync(join(state, 'queue', 'diff', 'host', '510001', 'last-entry')));
    writeFileSync(flag, '');
    const alertsLog = join(state, 'logs', 'alerts', 'alerts.log');
    const text = await waitFor('the alert', () => {
      const t = readWhole(alertsLog, '\n\n');
      return /Rule: 510001/.test(t) && t;
    });
    const record = alertRecords(text).find((r) => r.includes('Rule: 510001'))!;
    assert.equal(record.split('\n')[1].replace(/^.*? host->/, ''), command);
    await inJson(state, 510001);
    const json = jsonAlerts(state, 510001)[0];
    assert.equal(json.location, command);
    assert.match(json.full_log, /port {4}\|8080/);
    const rows = await inDb(state, 'SELECT l.name AS location FROM alert a JOIN location l ON l.id = a.location_id WHERE a.rule_id = ?', 510001);
    assert.deepEqual(rows, [{ location: command }]);
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('restart keeps check_diff state: unchanged output after a restart does not alert, a change does', async () => {
  const dir = scratch();
  const ports = join(dir, 'ports.txt');
  writeFileSync(ports, PORTS_1);
  const conf = writeConfig(
    dir,
    `<localfile><log_format>full_command</log_format><command>cat ${ports}</command><alias>netstat</alias><frequency>1</frequency></localfile>`,
    USER_RULE,
  );
  const state = join(dir, 'var');
  const diffFile = join(state, 'queue', 'diff', 'host', '510000', 'last-entry');
  let run = startLocal(conf, state);
  await waitFor('the baseline', () => existsSync(diffFile));
  assert.equal(await run.stop('SIGINT'), 0, run.stderr());

  run = startLocal(conf, state);
  const alertsLog = join(state, 'logs', 'alerts', 'alerts.log');
  try {
    await new Promise((r) => setTimeout(r, 2500));
    assert.doesNotMatch(readIfExists(alertsLog), /Rule: 510000/, 'no alert for unchanged output after restart');
    run.child.kill('SIGHUP'); // reload: state must survive it as well
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(ports, PORTS_2);
    await waitFor('the alert after restart and reload', () => /Rule: 510000/.test(readIfExists(alertsLog)));
    assert.match(run.stderr(), /reload/i);
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('a bad configuration stops start-up with file:line and a non-zero exit; check-config says the same', () => {
  const dir = scratch();
  const conf = writeConfig(dir, `<localfile>\n  <log_format>full_command</log_format>\n  <command>true</command>\n  <frequency>often</frequency>\n</localfile>`);
  const local = spawnSync(process.execPath, [cliPath, 'local', '-c', conf, '-D', join(dir, 'var')], { encoding: 'utf8' });
  assert.notEqual(local.status, 0);
  assert.match(local.stderr, /ospatrol\.conf:\d+: <frequency>: must be a number of seconds/);
  const check = spawnSync(process.execPath, [cliPath, 'check-config', '-c', conf], { encoding: 'utf8' });
  assert.notEqual(check.status, 0);
  assert.match(check.stderr, /ospatrol\.conf:\d+: <frequency>: must be a number of seconds/);
  const good = spawnSync(process.execPath, [cliPath, 'check-config', '-c', join(cliPath, '..', '..', 'etc', 'ospatrol.conf')], {
    encoding: 'utf8',
  });
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /OK/);
});
