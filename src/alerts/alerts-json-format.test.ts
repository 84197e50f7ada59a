process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAlertJson } from './alerts-json-format.js';
import { formatIsoLocal } from './local-time.js';
import { checkDiffAlert, sshdAlert } from '../test-support/alert-fixtures.js';

test('check_diff alert: Wazuh field names, previous_output, decoder, no data when no fields', () => {
  const line = formatAlertJson(checkDiffAlert({ timestamp: 1795549487_026 }));
  assert.ok(!line.includes('\n'));
  assert.deepEqual(JSON.parse(line), {
    timestamp: '2026-11-24T19:44:47.026+0000',
    rule: {
      level: 7,
      description: 'Listened ports status (netstat) changed (new port opened or closed).',
      id: '533',
      firedtimes: 1,
      mail: true,
      groups: ['ossec'],
    },
    agent: { id: '000', name: 'vm' },
    hostname: 'vm',
    id: '1795549487.2',
    full_log: "ossec: output: 'netstat -tan':tcp 0.0.0.0:22 0.0.0.0:* LISTENtcp 0.0.0.0:80 0.0.0.0:* LISTEN",
    previous_output: "ossec: output: 'netstat -tan':tcp 0.0.0.0:22 0.0.0.0:* LISTEN",
    decoder: { name: 'ossec' },
    location: 'netstat -tan',
  });
});

test('decoded fields go under data (srcuser too), with program_name, decoder parent, agent ip and rule info', () => {
  const alert = sshdAlert({
    agent: { id: '001', name: 'web1', ip: '10.0.0.5' },
    decoder: { name: 'sshd-success', parent: 'sshd' },
    fields: { srcip: '1.2.3.4', dstuser: 'root', srcuser: 'nobody', 'custom.field': 'v' },
    rule: { ...sshdAlert().rule, info: [{ type: 'link', value: 'https://example.org/' }] },
  });
  const obj = JSON.parse(formatAlertJson(alert));
  assert.deepEqual(obj.data, { srcip: '1.2.3.4', dstuser: 'root', srcuser: 'nobody', 'custom.field': 'v' });
  assert.equal(obj.program_name, 'sshd');
  assert.deepEqual(obj.decoder, { parent: 'sshd', name: 'sshd-success' });
  assert.deepEqual(obj.agent, { id: '001', name: 'web1', ip: '10.0.0.5' });
  assert.deepEqual(obj.rule.info, [{ type: 'link', value: 'https://example.org/' }]);
  assert.equal(obj.rule.mail, false);
  assert.equal(obj.previous_output, undefined);
});

test('hostile strings round-trip through one JSON line: NULs, lone surrogates, line separators, quotes', () => {
  const hostile = [
    'nul\u0000byte',
    'lone \ud800 high and \udfff low',
    'line\nbreak\r\n and \u2028\u2029',
    `quotes ' " \\ %s $1 ? '); DROP TABLE alert;--`,
    'emoji 🛡️ and 日本語',
    '\u001b[31mANSI\u001b[0m',
  ];
  for (const s of hostile) {
    const alert = sshdAlert({
      location: s,
      hostname: s,
      fullLog: s,
      previousOutput: s,
      fields: { [s]: s },
    });
    const line = formatAlertJson(alert);
    assert.ok(!line.includes('\n') && !line.includes('\r'), 'one physical line');
    const back = JSON.parse(line);
    assert.equal(back.location, s);
    assert.equal(back.hostname, s);
    assert.equal(back.full_log, s);
    assert.equal(back.previous_output, s);
    assert.equal(back.data[s], s);
    // The JSON text is well-formed UTF-8 even when the input held lone surrogates.
    assert.equal(Buffer.from(line, 'utf8').toString('utf8'), line);
  }
});

test('a dynamic field named __proto__ is kept as data', () => {
  const fields = JSON.parse('{"__proto__":"x","srcip":"1.2.3.4"}') as Record<string, string>;
  const back = JSON.parse(formatAlertJson(sshdAlert({ fields })));
  assert.equal(Object.getOwnPropertyDescriptor(back.data, '__proto__')?.value, 'x');
});

test('bad data from a caller does not throw: missing fields and non-string values are coerced', () => {
  const alert = sshdAlert({ fields: { srcport: 22 as unknown as string, gone: undefined as unknown as string } });
  (alert as { context?: unknown }).context = undefined;
  const back = JSON.parse(formatAlertJson(alert));
  assert.deepEqual(back.data, { srcport: '22' });
  assert.throws(() => formatAlertJson(sshdAlert({ timestamp: Number.POSITIVE_INFINITY })), RangeError);
});

test('ISO timestamps carry the local offset without a colon, like Wazuh', () => {
  const prev = process.env.TZ;
  try {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    process.env.TZ = 'UTC';
    assert.equal(formatIsoLocal(t), '2026-01-02T03:04:05.006+0000');
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(formatIsoLocal(t), '2026-01-02T08:34:05.006+0530');
    process.env.TZ = 'America/New_York';
    assert.equal(formatIsoLocal(t), '2026-01-01T22:04:05.006-0500');
  } finally {
    process.env.TZ = prev;
  }
});
