/** The tools as a user runs them: `ospatrol logtest` and `ospatrol test-rules`, real processes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, projectRoot, scratch } from './support/local-process.js';
import { conformanceAvailable, conformanceDir } from './support/conformance.js';

const conf = join(projectRoot, 'etc', 'ospatrol.conf');
const available = conformanceAvailable();
const skip = available === true ? false : available;

function ospatrol(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DF_FULL = "ospatrol: output: 'df -P': /dev/sda1 20511356 20511356 0 100% /";

test('logtest prints the three phases on stderr', () => {
  const r = ospatrol(['logtest', '-q', '-c', conf, '--hostname', 'melancia'], DF_FULL + '\n');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stderr,
    `\n\n**Phase 1: Completed pre-decoding.\n       full event: '${DF_FULL}'\n       hostname: 'melancia'\n` +
      `       program_name: '(null)'\n       log: '${DF_FULL}'\n\n**Phase 2: Completed decoding.\n       decoder: 'ospatrol'\n\n` +
      `**Phase 3: Completed filtering (rules).\n       Rule id: '531'\n       Level: '7'\n` +
      `       Description: 'A file system is full (100% used).'\n**Alert to be generated.\n\n\n`,
  );
});

test('logtest -U exits 0 only on the expected rule, level and decoder', () => {
  assert.equal(ospatrol(['logtest', '-q', '-c', conf, '-U', '531:7:ospatrol'], DF_FULL + '\n').status, 0);
  assert.equal(ospatrol(['logtest', '-q', '-c', conf, '-U', '531:8:ospatrol'], DF_FULL + '\n').status, 1);
  assert.equal(ospatrol(['logtest', '-q', '-c', conf, '-U', '533:7:ospatrol'], DF_FULL + '\n').status, 2);
  assert.equal(ospatrol(['logtest', '-q', '-c', conf, '-U', '531:7:sshd'], DF_FULL + '\n').status, 3);
});

test('logtest -a prints alerts.log records on stdout; state carries from line to line (check_diff)', () => {
  const lines = [
    "ospatrol: output: 'netstat': tcp 0.0.0.0:22 LISTEN",
    "ospatrol: output: 'netstat': tcp 0.0.0.0:22 LISTEN",
    "ospatrol: output: 'netstat': tcp 0.0.0.0:22 LISTEN tcp 0.0.0.0:80 LISTEN",
  ];
  const r = ospatrol(['logtest', '-q', '-a', '-c', conf, '--hostname', 'vm'], lines.join('\n') + '\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(
      String.raw`^\*\* Alert \d+\.1: mail  - ospatrol,\n\d{4} \w{3} \d{2} [\d:]{8} vm->stdin\n` +
        String.raw`Rule: 533 \(level 7\) -> 'Listening ports changed \(a port was opened or closed\)\.'\n` +
        `${lines[2]}\nPrevious output:\n${lines[0]}\n`,
    ),
  );
});

test('logtest -v shows the rules tried', () => {
  const r = ospatrol(['logtest', '-q', '-v', '-c', conf], DF_FULL + '\n');
  assert.match(r.stderr, /\*\*Rule debugging:\n    Trying rule: 7 - Root of OSPatrol's own messages\.\n       \*Rule 7 matched\.\n       \*Trying child rules\.\n    Trying rule: 500 /);
});

test('logtest with a bad rule file names file and line', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'bad_rules.xml'), '<group name="x,">\n  <rule id="100" level="3">\n    <mtach>x</mtach>\n  </rule>\n</group>\n');
  writeFileSync(
    join(dir, 'ospatrol.conf'),
    `<ospatrol_config><rules><decoder>${projectRoot}/etc/decoder.xml</decoder><include>${projectRoot}/etc/rules/rules_config.xml</include><include>${dir}/bad_rules.xml</include></rules></ospatrol_config>`,
  );
  const r = ospatrol(['logtest', '-q', '-c', join(dir, 'ospatrol.conf')], 'x\n');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad_rules\.xml:3: <mtach>/);
});

test('test-rules runs the shipped ruleset tests', () => {
  const r = ospatrol(['test-rules', '-c', conf, join(projectRoot, 'etc', 'rules', 'tests')]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^\d+ passed, 0 failed$/m);
});

test('test-rules on OSSEC ossec-testing: 251 of 261, failures listed one per line', { skip }, () => {
  const r = ospatrol([
    'test-rules',
    '-c',
    join(conformanceDir, 'ossec-4.3.0', 'etc', 'ossec-full-ruleset.conf'),
    join(conformanceDir, 'ossec-4.3.0', 'ossec-testing'),
  ]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^251 passed, 10 failed$/m);
  assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('FAIL ')).length, 10);
});
