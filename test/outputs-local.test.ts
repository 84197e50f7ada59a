/**
 * Outputs wired from the configuration in a real `ospatrol local` process (e-mail to a loopback
 * SMTP server, syslog over UDP), across a SIGHUP reload; and `ospatrol alerts` reading the store.
 */
process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatAlertJson } from '../src/alerts/alerts-json-format.js';
import { formatAlertsLog } from '../src/alerts/alerts-log-format.js';
import { parseSince } from '../src/cli/alerts.js';
import { SqliteSink } from '../src/sinks/sqlite/sqlite-sink.js';
import { checkDiffAlert, sshdAlert } from '../src/test-support/alert-fixtures.js';
import { cliPath, scratch, startLocal, waitFor, writeConfig } from './support/local-process.js';
import { smtpReceiver } from './support/smtp-receiver.js';
import { udpReceiver } from './support/syslog-receiver.js';

const RULES = `<group name="local,">
  <rule id="510200" level="9">
    <match>osp-mail-me</match>
    <description>Something to mail.</description>
  </rule>
  <rule id="510201" level="3">
    <match>osp-quiet</match>
    <description>Something not to mail.</description>
  </rule>
</group>`;

test('local mode: e-mail and syslog outputs from the configuration; a reload keeps their cursors', async () => {
  const smtp = await smtpReceiver();
  const syslog = await udpReceiver();
  const dir = scratch();
  const events = join(dir, 'events.log');
  writeFileSync(events, '');
  const conf = writeConfig(
    dir,
    `<global>
    <email_notification>yes</email_notification>
    <email_to>soc@example.com</email_to>
    <email_from>ospatrol@example.com</email_from>
    <smtp_server>127.0.0.1</smtp_server>
    <smtp_port>${smtp.port}</smtp_port>
  </global>
  <email_alerts><email_to>pager@example.com</email_to><rule_id>510200</rule_id><format>sms</format><do_not_delay /></email_alerts>
  <syslog_output><server>127.0.0.1</server><port>${syslog.port}</port><format>cef</format><level>3</level></syslog_output>
  <localfile><log_format>syslog</log_format><location>${events}</location><only-future-events>no</only-future-events></localfile>`,
    RULES,
  );
  const state = join(dir, 'var');
  const run = startLocal(conf, state, 'manager1');
  try {
    await waitFor('started', () => /INFO started/.test(run.stderr()), 10_000);
    appendFileSync(events, 'Nov 24 10:00:00 web1 app: osp-mail-me once\nNov 24 10:00:01 web1 app: osp-quiet once\n');
    await waitFor('the sms', () => smtp.mails.some((m) => m.envelopeTo.includes('pager@example.com')), 10_000);
    await waitFor('two syslog messages', () => syslog.messages.length >= 2, 10_000);
    assert.match(syslog.messages[0], /^<132>1 \S+ manager1 ospatrol - alert - CEF:0\|OSPatrol\|OSPatrol\|[^|]+\|510200\|Something to mail\.\|9\|/);

    run.child.kill('SIGHUP');
    await waitFor('reloaded', () => /reloaded configuration/.test(run.stderr()), 10_000);
    appendFileSync(events, 'Nov 24 10:00:02 web1 app: osp-quiet twice\n');
    await waitFor('the third syslog message', () => syslog.messages.length >= 3, 10_000);
  } finally {
    // Stopping sends the grouped mail that waits for its delay.
    assert.equal(await run.stop(), 0, run.stderr());
    await smtp.close();
    await syslog.close();
  }
  assert.equal(syslog.messages.length, 3, 'nothing sent twice across the reload');
  const soc = smtp.mails.filter((m) => m.envelopeTo.includes('soc@example.com'));
  assert.equal(soc.length, 1);
  assert.match(soc[0].parsed.subject ?? '', /^OSPatrol Alert - web1 - Level 9 - Something to mail\.$/);
  assert.doesNotMatch(soc[0].parsed.text ?? '', /osp-quiet/);
  assert.equal(smtp.mails.length, 2);
});

test('ospatrol alerts: filters, alerts.log and JSON forms, --follow, and clear errors', async () => {
  const dir = scratch();
  const state = join(dir, 'var');
  const sink = new SqliteSink({ stateDir: state, serverName: 'm' });
  const a = sshdAlert({ id: '1795549508.1', agent: { id: '001', name: 'web1' } });
  const b = checkDiffAlert({ id: '1795549509.2', timestamp: 1795549509_000, fullLog: "it's \"q\" \u0000 😀" });
  sink.writeBatch([a, b]);

  const cli = (...args: string[]) => spawnSync(process.execPath, [cliPath, 'alerts', '-D', state, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  assert.equal(cli().stdout, formatAlertsLog(a) + formatAlertsLog(b), 'oldest first');
  assert.equal(cli('--rule', '533', '--json').stdout, `${formatAlertJson(b)}\n`);
  assert.equal(cli('--agent', 'web1').stdout, formatAlertsLog(a));
  assert.equal(cli('--level', '6').stdout, formatAlertsLog(b));
  assert.equal(cli('--since', '2026-11-24T19:45:09Z').stdout, formatAlertsLog(b));
  assert.equal(cli('--limit', '1').stdout, formatAlertsLog(b));
  const bad = cli('--level', 'high');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--level must be a whole number, got "high"/);
  const missing = spawnSync(process.execPath, [cliPath, 'alerts', '-D', join(dir, 'nowhere')], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no alert store at/);

  const follow = spawn(process.execPath, [cliPath, 'alerts', '-D', state, '--follow', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  follow.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor('the two stored', () => out.split('\n').filter(Boolean).length === 2, 10_000);
    const c = sshdAlert({ id: '1795549510.3', timestamp: 1795549510_000 });
    sink.writeBatch([c]);
    await waitFor('the new one', () => out.split('\n').filter(Boolean).length === 3, 10_000);
    assert.equal(out.split('\n')[2], formatAlertJson(c));
  } finally {
    follow.kill();
    sink.close();
  }
});

test('--since understands durations, epoch seconds and dates', () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  assert.equal(parseSince('10m', now), now - 600_000);
  assert.equal(parseSince('2h', now), now - 7_200_000);
  assert.equal(parseSince('1d', now), now - 86_400_000);
  assert.equal(parseSince('1795549508', now), 1795549508_000);
  assert.equal(parseSince('1795549508123', now), 1795549508123);
  assert.equal(parseSince('2026-11-24 10:00', now), new Date(2026, 10, 24, 10, 0).getTime());
  assert.equal(parseSince('2026-11-24', now), new Date(2026, 10, 24).getTime());
  assert.equal(parseSince('2026-11-24T10:00:00Z', now), Date.UTC(2026, 10, 24, 10));
  assert.throws(() => parseSince('yesterday', now), /--since must be/);
});
