/**
 * Local mode with real files and real commands: tailed lines become alerts once each across
 * rotation and restarts; hanging and failing commands are reported by OSPatrol's own rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertRecords, readIfExists, readWhole, scratch, startLocal, waitFor, writeConfig } from './support/local-process.js';

const SSH_RULE = `<group name="local,">
  <rule id="510010" level="6">
    <category>syslog</category>
    <match>Failed password for</match>
    <description>Test: SSH authentication failure.</description>
  </rule>
</group>`;

function failures(alertsLog: string): string[] {
  return alertRecords(readWhole(alertsLog, '\n\n'))
    .filter((r) => r.includes('Rule: 510010'))
    .map((r) => /user (\S+)/.exec(r)![1]);
}

const line = (user: string): string => `Nov 26 10:00:00 web1 sshd[42]: Failed password for invalid user ${user} from 10.0.0.9 port 22 ssh2\n`;

test('a tailed file: new lines alert once; rotation and a restart lose and repeat nothing', async () => {
  const dir = scratch();
  const log = join(dir, 'auth.log');
  writeFileSync(log, line('old')); // before the first start: skipped (only-future-events)
  const conf = writeConfig(dir, `<localfile><log_format>syslog</log_format><location>${log}</location></localfile>`, SSH_RULE);
  const state = join(dir, 'var');
  const alertsLog = join(state, 'logs', 'alerts', 'alerts.log');
  let run = startLocal(conf, state);
  try {
    await waitFor('start-up', () => /INFO started/.test(run.stderr()));
    await new Promise((r) => setTimeout(r, 600));
    appendFileSync(log, line('a1') + line('a2'));
    await waitFor('two alerts', () => failures(alertsLog).length >= 2);
    // Rename-rotation with a late write to the old file, then the new file.
    renameSync(log, log + '.1');
    appendFileSync(log + '.1', line('late'));
    writeFileSync(log, line('b1'));
    await waitFor('alerts after rotation', () => failures(alertsLog).includes('b1') && failures(alertsLog).includes('late'));
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
  // Written while OSPatrol is down: read after the restart.
  appendFileSync(log, line('down1') + line('down2'));
  run = startLocal(conf, state);
  try {
    await waitFor('alerts for lines written while stopped', () => failures(alertsLog).includes('down2'));
    appendFileSync(log, line('c1'));
    await waitFor('the next alert', () => failures(alertsLog).includes('c1'));
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(failures(alertsLog).sort(), ['a1', 'a2', 'b1', 'c1', 'down1', 'down2', 'late']);
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('a hanging command is killed at its timeout and a failing one reports exit status and stderr', async () => {
  const dir = scratch();
  const conf = writeConfig(
    dir,
    `<localfile><log_format>full_command</log_format><command>sleep 1000</command><alias>hang</alias><timeout>1</timeout><frequency>3600</frequency></localfile>
<localfile><log_format>full_command</log_format><command>echo partial; echo 'disk error' >&2; exit 3</command><alias>broken</alias><frequency>3600</frequency></localfile>`,
  );
  const state = join(dir, 'var');
  const alertsLog = join(state, 'logs', 'alerts', 'alerts.log');
  const run = startLocal(conf, state);
  try {
    const text = await waitFor('the three alerts', () => {
      const t = readWhole(alertsLog, '\n\n');
      return /Rule: 536 /.test(t) && /Rule: 537 /.test(t) && /Rule: 538 /.test(t) && t;
    });
    const rec = (id: number): string => alertRecords(text).find((r) => r.includes(`Rule: ${id} `))!;
    assert.match(rec(536), /host->hang\n/);
    assert.match(rec(536), /ospatrol: command timeout: 'hang': killed after 1s/);
    assert.match(rec(537), /ospatrol: command exit: 'broken': status 3/);
    assert.match(rec(538), /ospatrol: command stderr: 'broken':\ndisk error/);
    // The hung command's process is gone (killed with its process group).
    const ps = (await import('node:child_process')).spawnSync('pgrep', ['-f', '^sleep 1000$'], { encoding: 'utf8' });
    assert.equal(ps.stdout.trim(), '', 'sleep 1000 still running');
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});
