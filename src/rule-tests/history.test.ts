/** OSPatrol's rule-test extensions for stateful rules: history, location, full_command, escapes. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadEngine } from '../analysis/engine.js';
import { loadConfig } from '../config/load.js';
import { parseRuleTests, unescapeValue } from './ini.js';
import { formatFailure, runRuleTests } from './run.js';

const conf = new URL('../../etc/ospatrol.conf', import.meta.url).pathname;

test('escapes: \\n, \\t, \\\\ and \\xHH; other backslashes stay', () => {
  assert.equal(unescapeValue('a\\nb\\tc\\\\n\\x20d\\q'), 'a\nb\tc\\n d\\q');
});

test('full_command sections: values are outputs with escapes; other sections are read as before', () => {
  const [s, plain] = parseRuleTests(
    `[ports]
full_command = netstat
history 1 = tcp 22\\ntcp 80
log 1 pass = tcp 80\\n\\x20 tcp 22
rule = 533
alert = 7
decoder = ospatrol

[plain]
location = /var/log/x
log 1 pass = C:\\new
rule = 1
`,
    't.ini',
  );
  assert.equal(s.fullCommand, 'netstat');
  assert.deepEqual(s.cases[0].history, ['tcp 22\ntcp 80']);
  assert.equal(s.cases[0].log, 'tcp 80\n  tcp 22');
  assert.equal(plain.location, '/var/log/x');
  assert.equal(plain.cases[0].log, 'C:\\new');
});

test('test-rules runs check_diff histories: order, masks, separate locations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ospatrol-ini-'));
  try {
    const ini = join(dir, 'diff.ini');
    writeFileSync(
      ini,
      `[reordered listening ports are not a change for rule 533]
full_command = netstat
history 1 = tcp        0      0 0.0.0.0:22   0.0.0.0:*  LISTEN\\ntcp        0      0 0.0.0.0:80   0.0.0.0:*  LISTEN
log 1 fail = tcp 3 0 0.0.0.0:80 0.0.0.0:* LISTEN\\ntcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN
log 2 pass = tcp 0 0 0.0.0.0:80 0.0.0.0:* LISTEN\\ntcp 0 0 0.0.0.0:2222 0.0.0.0:* LISTEN
rule = 533
alert = 7
decoder = ospatrol

[the first output is stored silently]
full_command = netstat
log 1 pass = tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN
rule = 530
alert = 0
decoder = ospatrol

[an exit status that changes]
location = backup
history 1 = ospatrol: command exit: 'backup': status 1
log 1 pass = ospatrol: command exit: 'backup': status 2
log 2 fail = ospatrol: command exit: 'backup': status 1
rule = 540
alert = 4
decoder = ospatrol

[a failing case, to see its report]
full_command = netstat
history 1 = tcp 22
log 1 pass = tcp 22
rule = 533
alert = 7
decoder = ospatrol
`,
    );
    const config = loadConfig(conf);
    let engine = loadEngine({ config, hostname: 'vm', logtest: true });
    const report = runRuleTests([ini], () => (engine = engine.fresh()), { commandPrefix: 'ospatrol' });
    assert.equal(report.passed, 5, report.failed.map(formatFailure).join('\n'));
    assert.equal(report.failed.length, 1);
    assert.match(formatFailure(report.failed[0]), /\[a failing case, to see its report\] log 1 pass: expected rule 533 level 7 decoder ospatrol, got rule 530 level 0 decoder ospatrol/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
