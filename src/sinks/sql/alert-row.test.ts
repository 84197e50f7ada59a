import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiffAlert, sshdAlert } from '../../test-support/alert-fixtures.js';
import { ALERT_INSERT_PARAMS, insertAlertParams, toAlertRow } from './alert-row.js';

test('ports become numbers only when they are 0..65535; the text stays in fields', () => {
  const ports = (srcport: string) => toAlertRow(sshdAlert({ fields: { srcport } })).srcPort;
  assert.equal(ports('22'), 22);
  assert.equal(ports('65535'), 65535);
  assert.equal(ports('65536'), null);
  assert.equal(ports('22a'), null);
  assert.equal(ports(''), null);
  assert.deepEqual(toAlertRow(sshdAlert({ fields: { srcport: 'ssh' } })).fields, [['srcport', 'ssh']]);
});

test('categories: trimmed, no empties, no repeats, rule order kept', () => {
  const row = toAlertRow(sshdAlert({ rule: { ...sshdAlert().rule, groups: [' syslog', 'sshd', '', 'syslog'] } }));
  assert.deepEqual(row.groups, ['syslog', 'sshd']);
});

test('absent optional values are NULLs; the agent IP is "" so it can sit in a unique key', () => {
  const row = toAlertRow(checkDiffAlert({ decoder: undefined, previousOutput: undefined }));
  assert.equal(row.decoderName, null);
  assert.equal(row.previousOutput, null);
  assert.equal(row.srcIp, null);
  assert.equal(row.dstUser, null);
  assert.equal(row.agentIp, '');
  assert.equal(row.mail, 1);
});

test('insert parameters: 26 values, in the documented order', () => {
  const params = insertAlertParams(toAlertRow(sshdAlert()), { serverId: 1, locationId: 2, agentId: 3 }, 99);
  assert.equal(params.length, ALERT_INSERT_PARAMS);
  assert.equal(params[25], null); // diff: none on this alert
  assert.deepEqual(params.slice(0, 8), [1, '1795549508.14', 5503, 5, 1795549508000, 2, 3, 'fw1']);
  assert.equal(params[24], 99);
});

test('unusable alerts are refused with the reason', () => {
  assert.throws(() => toAlertRow(sshdAlert({ id: '' })), /id/);
  assert.throws(() => toAlertRow(sshdAlert({ timestamp: Number.NaN })), /timestamp/);
  assert.throws(() => toAlertRow(sshdAlert({ rule: { ...sshdAlert().rule, level: 2.5 } })), /level/);
  assert.throws(() => toAlertRow(null as never), /not an alert/);
});
