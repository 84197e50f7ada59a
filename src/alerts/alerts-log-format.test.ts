// The verified records of ossec-analysis.md 9.1 were taken on a host in UTC; pin the zone before
// any Date is built so the expected text is exact on every machine.
process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OSSEC_LOG_CUT_BYTES, cutUtf8, formatAlertsLog } from './alerts-log-format.js';
import { checkDiffAlert, sshdAlert } from '../test-support/alert-fixtures.js';

test('(a) check_diff alert with mail marker: the verified record of 9.1 byte for byte', () => {
  const expected =
    '** Alert 1795549487.2: mail  - ossec,\n' +
    '2026 Nov 24 19:44:47 vm->netstat -tan\n' +
    "Rule: 533 (level 7) -> 'Listened ports status (netstat) changed (new port opened or closed).'\n" +
    "ossec: output: 'netstat -tan':tcp 0.0.0.0:22 0.0.0.0:* LISTENtcp 0.0.0.0:80 0.0.0.0:* LISTEN\n" +
    'Previous output:\n' +
    "ossec: output: 'netstat -tan':tcp 0.0.0.0:22 0.0.0.0:* LISTEN\n" +
    '\n';
  assert.equal(formatAlertsLog(checkDiffAlert()), expected);
});

test('(b) non-mail alert: a lone space before "-", Src IP/Src Port/User lines, srcuser never printed', () => {
  const expected =
    '** Alert 1795549508.14: - syslog,sshd,authentication_failed,\n' +
    '2026 Nov 24 19:45:08 fw1->10.1.1.1\n' +
    "Rule: 5503 (level 5) -> 'User login failed.'\n" +
    'Src IP: 1.2.3.4\n' +
    'Src Port: 50022\n' +
    'User: root\n' +
    'Nov 24 19:45:08 fw1 sshd[2211]: Failed password for root from 1.2.3.4 port 50022 ssh2\n' +
    '\n';
  assert.equal(formatAlertsLog(sshdAlert()), expected);
});

test('optional lines keep OSSEC order Src IP, Src Port, Dst IP, Dst Port, User whatever the field order', () => {
  const alert = sshdAlert({ fields: { dstuser: 'u', dstport: '4', dstip: '3.3.3.3', srcport: '2', srcip: '1.1.1.1' } });
  const lines = formatAlertsLog(alert).split('\n').slice(3, 8);
  assert.deepEqual(lines, ['Src IP: 1.1.1.1', 'Src Port: 2', 'Dst IP: 3.3.3.3', 'Dst Port: 4', 'User: u']);
});

test('(c) agent alert: hostname equals location, so no "host->" prefix', () => {
  const location = '(agent1) 10.0.0.5->netstat -tan';
  const alert = checkDiffAlert({
    id: '1795549488.3',
    timestamp: 1795549488_000,
    hostname: location,
    location,
    agent: { id: '001', name: 'agent1', ip: '10.0.0.5' },
  });
  const lines = formatAlertsLog(alert).split('\n');
  assert.equal(lines[0], '** Alert 1795549488.3: mail  - ossec,');
  assert.equal(lines[1], '2026 Nov 24 19:44:48 (agent1) 10.0.0.5->netstat -tan');
});

test('(d) full_command multi-line output and a multi-line Previous output block are printed as is', () => {
  const now = "ossec: output: 'ports':\ntcp 0.0.0.0:22 LISTEN\ntcp 0.0.0.0:80 LISTEN";
  const before = "ossec: output: 'ports':\ntcp 0.0.0.0:22 LISTEN";
  const alert = checkDiffAlert({
    id: '1795549500.7',
    timestamp: 1795549500_000,
    location: 'ports',
    fullLog: now,
    previousOutput: before,
    context: ['Previous output:', before],
  });
  const expected =
    '** Alert 1795549500.7: mail  - ossec,\n' +
    '2026 Nov 24 19:45:00 vm->ports\n' +
    "Rule: 533 (level 7) -> 'Listened ports status (netstat) changed (new port opened or closed).'\n" +
    "ossec: output: 'ports':\n" +
    'tcp 0.0.0.0:22 LISTEN\n' +
    'tcp 0.0.0.0:80 LISTEN\n' +
    'Previous output:\n' +
    "ossec: output: 'ports':\n" +
    'tcp 0.0.0.0:22 LISTEN\n' +
    '\n';
  assert.equal(formatAlertsLog(alert), expected);
});

test('frequency alert: context lines (earlier events) follow full_log, one per line', () => {
  const alert = sshdAlert({ context: ['earlier 2', 'earlier 1'], fields: {} });
  assert.ok(formatAlertsLog(alert).endsWith('ssh2\nearlier 2\nearlier 1\n\n'));
});

test('zero-padded day and local time follow TZ', () => {
  const prev = process.env.TZ;
  try {
    // 2026-03-04T23:30:05Z is 05:00:05 on the 5th in India (+05:30).
    process.env.TZ = 'Asia/Kolkata';
    const alert = sshdAlert({ timestamp: Date.UTC(2026, 2, 4, 23, 30, 5) });
    assert.equal(formatAlertsLog(alert).split('\n')[1], '2026 Mar 05 05:00:05 fw1->10.1.1.1');
  } finally {
    process.env.TZ = prev;
  }
});

test('full_log is kept whole by default; ossecCut cuts full_log and each context line at 1256 bytes', () => {
  const long = 'x'.repeat(3000);
  const alert = checkDiffAlert({ fullLog: long, context: ['Previous output:', long] });
  assert.ok(formatAlertsLog(alert).includes(`\n${long}\n`));
  const cut = formatAlertsLog(alert, { ossecCut: true }).split('\n');
  assert.equal(cut[3], 'x'.repeat(OSSEC_LOG_CUT_BYTES));
  assert.equal(cut[4], 'Previous output:');
  assert.equal(cut[5], 'x'.repeat(OSSEC_LOG_CUT_BYTES));
});

test('the OSSEC cut never splits a UTF-8 character', () => {
  const s = 'a' + '€'.repeat(1000); // 1 + 3000 bytes; 1256 falls inside the 419th euro sign
  const out = cutUtf8(s);
  assert.ok(Buffer.byteLength(out) <= OSSEC_LOG_CUT_BYTES);
  assert.equal(out, 'a' + '€'.repeat(418));
  assert.equal(cutUtf8('short'), 'short');
  assert.equal(cutUtf8('é'.repeat(628)), 'é'.repeat(628)); // exactly 1256 bytes: kept
});

test('line breaks in one-line fields are escaped so they cannot forge header lines', () => {
  const alert = sshdAlert({
    location: "evil\nRule: 1 (level 0) -> 'x'",
    rule: { ...sshdAlert().rule, description: 'a\r\nb' },
    fields: { dstuser: 'root\n** Alert 1.1: - x,' },
  });
  const lines = formatAlertsLog(alert).split('\n');
  assert.equal(lines[1], "2026 Nov 24 19:45:08 fw1->evil\\nRule: 1 (level 0) -> 'x'");
  assert.equal(lines[2], "Rule: 5503 (level 5) -> 'a\\r\\nb'");
  assert.equal(lines[3], 'User: root\\n** Alert 1.1: - x,');
});

test('a present but empty field still prints its label, as OSSEC tests the pointer', () => {
  const alert = sshdAlert({ fields: { srcip: '' } });
  assert.equal(formatAlertsLog(alert).split('\n')[3], 'Src IP: ');
});

test('an empty hostname prints the location alone', () => {
  assert.equal(formatAlertsLog(sshdAlert({ hostname: '' })).split('\n')[1], '2026 Nov 24 19:45:08 10.1.1.1');
});

test('hostile strings print as is and never throw; a non-finite timestamp throws a RangeError', () => {
  const alert = sshdAlert({ fullLog: "a\u0000b \ud800 '%s' $1 ?", fields: {} });
  assert.ok(formatAlertsLog(alert).includes("\na\u0000b \ud800 '%s' $1 ?\n"));
  assert.throws(() => formatAlertsLog(sshdAlert({ timestamp: Number.NaN })), RangeError);
});
