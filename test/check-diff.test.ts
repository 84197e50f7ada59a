/**
 * check_diff that tells what changed, end to end: `ospatrol local` as a real process running real
 * commands whose output the test controls, the rules' options, and alerts.log / alerts.json read
 * back. Also the tools with histories: `ospatrol logtest` with multi-line records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertRecords, cliPath, jsonAlerts as readJsonAlerts, projectRoot, readIfExists, readWhole, scratch, startLocal, waitFor, writeConfig } from './support/local-process.js';

interface JsonAlert {
  rule: { id: string | number; level: number };
  location: string;
  full_log: string;
  previous_output?: string;
  diff?: { kind: string; summary: string; added: string[]; removed: string[]; unified: string; truncated: boolean };
}

const jsonAlerts = (state: string, ruleId?: number): JsonAlert[] => readJsonAlerts<JsonAlert>(state, ruleId);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A full_command localfile running every second. */
function command(alias: string, cmd: string, extra = ''): string {
  return `<localfile><log_format>full_command</log_format><command>${cmd}</command><alias>${alias}</alias><frequency>1</frequency>${extra}</localfile>`;
}

function rule(id: number, alias: string, checkDiff: string, level = 7): string {
  return `<rule id="${id}" level="${level}"><if_sid>530</if_sid><match>output: '${alias}':</match>${checkDiff}<description>${alias} changed</description></rule>`;
}

const PORTS = [
  'tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN',
  'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN',
  'tcp6       0      0 :::443                  :::*                    LISTEN',
];

test('reordered netstat: no alert in set mode, an alert in text mode; a changed PID column masked: no alert', async () => {
  const dir = scratch();
  const ports = join(dir, 'ports.txt');
  const pids = join(dir, 'pids.txt');
  writeFileSync(ports, PORTS.join('\n') + '\n');
  writeFileSync(pids, 'tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 812/sshd\ntcp 0 0 0.0.0.0:80 0.0.0.0:* LISTEN 907/nginx\n');
  const conf = writeConfig(
    dir,
    [command('ports-text', `cat ${ports}`), command('ports-set', `cat ${ports}`), command('ports-pid', `cat ${pids}`)].join('\n'),
    `<group name="local,">
  ${rule(100100, 'ports-text', '<check_diff />')}
  ${rule(100101, 'ports-set', '<check_diff mode="set" />')}
  ${rule(100102, 'ports-pid', '<check_diff mode="set"><mask replace="\\1#/">(\\s)\\d+/</mask></check_diff>')}
</group>`,
  );
  const state = join(dir, 'var');
  const run = startLocal(conf, state);
  try {
    const diff = join(state, 'queue', 'diff', 'host');
    await waitFor('the three baselines', () =>
      [100100, 100101, 100102].every((id) => existsSync(join(diff, String(id), 'last-entry'))),
    );
    await sleep(1500);
    assert.equal(jsonAlerts(state).length, 0, 'unchanged outputs never alert');

    // The same ports in another order; the same services with new PIDs.
    writeFileSync(ports, [PORTS[2], PORTS[0], PORTS[1]].join('\n') + '\n');
    writeFileSync(pids, 'tcp 0 0 0.0.0.0:80 0.0.0.0:* LISTEN 2290/nginx\ntcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 2291/sshd\n');
    const [text] = await waitFor('the text-mode alert', () => jsonAlerts(state, 100100).length > 0 && jsonAlerts(state, 100100));
    assert.equal(text.diff!.kind, 'change');
    assert.deepEqual(text.diff!.added, [PORTS[2]]);
    assert.deepEqual(text.diff!.removed, [PORTS[2]]);
    assert.match(text.diff!.unified, /^--- previous\n\+\+\+ current\n@@ -1,4 \+1,4 @@\n ospatrol: output: 'ports-text':\n\+tcp6 /);
    await sleep(2500);
    assert.equal(jsonAlerts(state, 100101).length, 0, 'set mode: order is not a change');
    assert.equal(jsonAlerts(state, 100102).length, 0, 'masked PIDs are not a change');
    assert.equal(jsonAlerts(state, 100100).length, 1, 'text mode alerts once for one change');

    // A real change still alerts under the mask, and says what changed.
    writeFileSync(pids, 'tcp 0 0 0.0.0.0:80 0.0.0.0:* LISTEN 2290/nginx\ntcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 2291/sshd\ntcp 0 0 0.0.0.0:4444 0.0.0.0:* LISTEN 3001/nc\n');
    const [pid] = await waitFor('the masked rule on a real change', () => jsonAlerts(state, 100102).length > 0 && jsonAlerts(state, 100102));
    assert.deepEqual(pid.diff!.added, ['tcp 0 0 0.0.0.0:4444 0.0.0.0:* LISTEN 3001/nc']);
    assert.deepEqual(pid.diff!.removed, []);
    assert.equal(pid.diff!.summary, '1 line added, 0 removed (compared as a set of lines, 1 mask)');

    // alerts.log: OSSEC's Previous output block first, then what changed.
    // Each output consumes the alerts on its own: alerts.log may trail alerts.json.
    const record = await waitFor('the alerts.log record of 100102', () =>
      alertRecords(readWhole(join(state, 'logs', 'alerts', 'alerts.log'), '\n\n')).find((r) => r.includes('Rule: 100102')),
    );
    assert.match(
      record,
      /\nPrevious output:\nospatrol: output: 'ports-pid':\ntcp 0 0 0\.0\.0\.0:80 [^\n]*2290\/nginx\ntcp [^\n]*2291\/sshd\nWhat changed: 1 line added, 0 removed \(compared as a set of lines, 1 mask\)\n--- previous\n\+\+\+ current\n@@ compared as a set of lines, 1 mask @@\n\+tcp 0 0 0\.0\.0\.0:4444 0\.0\.0\.0:\* LISTEN 3001\/nc\n\n$/,
    );
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('a flapping output alerts once (OSSEC semantics alert on every flip)', async () => {
  const dir = scratch();
  // Each run prints A or B in turn: a service that keeps coming and going.
  const flip = (name: string) => {
    const counter = join(dir, `${name}.count`);
    return `n=$(cat ${counter} 2>/dev/null || echo 0); echo $((n+1)) > ${counter}; if [ $((n % 2)) -eq 0 ]; then echo 'tcp 0.0.0.0:22 LISTEN'; else printf 'tcp 0.0.0.0:22 LISTEN\\ntcp 0.0.0.0:8080 LISTEN\\n'; fi`;
  };
  const conf = writeConfig(
    dir,
    [command('flappy', flip('flappy')), command('flappy-ossec', flip('flappy-ossec'))].join('\n'),
    `<group name="local,">
  ${rule(100120, 'flappy', '<check_diff flapping="3" />')}
  ${rule(100121, 'flappy-ossec', '<check_diff />')}
</group>`,
  );
  const state = join(dir, 'var');
  const run = startLocal(conf, state);
  try {
    await waitFor('eight runs of each', () => {
      const n = (f: string) => Number(readIfExists(join(dir, `${f}.count`)) || 0);
      return n('flappy') >= 8 && n('flappy-ossec') >= 8;
    }, 30000);
    await sleep(500);
    const flapping = jsonAlerts(state, 100120);
    const ossec = jsonAlerts(state, 100121);
    console.log(`8 flips: ${ossec.length} alerts with a plain check_diff, ${flapping.length} with flapping="3"`);
    assert.ok(ossec.length >= 5, `plain check_diff alerts on every flip (${ossec.length})`);
    assert.equal(flapping.length, 1);
    const a = flapping[0];
    assert.equal(a.diff!.kind, 'flapping');
    assert.match(a.diff!.summary, /^flapping: the output went back to what it was 2 runs ago after 2 changes; repeats are not reported until it is stable for 3 runs\. The short-lived output against the current one: 0 lines added, 1 removed \(compared as text\)$/);
    // The short-lived port is in the diff: it was there in the previous run and is gone now.
    assert.deepEqual(a.diff!.removed, ['tcp 0.0.0.0:8080 LISTEN']);
    assert.match(a.previous_output!, /8080/);
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('two commands matched by one rule keep separate baselines; an OSSEC state file is taken over', async () => {
  const dir = scratch();
  const a = join(dir, 'a.txt');
  const b = join(dir, 'b.txt');
  writeFileSync(a, 'running\n');
  writeFileSync(b, 'idle\n');
  const state = join(dir, 'var');
  // What OSSEC left for this host and rule: svc-a's last output, newlines removed, with a NUL.
  const legacy = join(state, 'queue', 'diff', 'host', '100110');
  mkdirSync(legacy, { recursive: true });
  writeFileSync(join(legacy, 'last-entry'), "ossec: output: 'svc-a':running\0");
  const conf = writeConfig(
    dir,
    [command('svc-a', `cat ${a}`), command('svc-b', `cat ${b}`)].join('\n'),
    `<group name="local,">
  <rule id="100110" level="6"><if_sid>530</if_sid><match>output: 'svc-</match><check_diff /><description>service state changed</description></rule>
</group>`,
  );
  const run = startLocal(conf, state);
  try {
    await waitFor('both baselines', () => existsSync(join(legacy, 'last-entry.location')) && existsSync(join(legacy, 'svc-b', 'last-entry')));
    await sleep(3000);
    assert.deepEqual(jsonAlerts(state, 100110), [], 'OSSEC would alert on every run here, both commands sharing one state');
    assert.equal(readFileSync(join(legacy, 'last-entry.location'), 'utf8'), 'svc-a');
    assert.equal(readFileSync(join(legacy, 'last-entry'), 'utf8'), "ospatrol: output: 'svc-a':\nrunning");

    writeFileSync(b, 'busy\n');
    await waitFor('the svc-b alert', () => jsonAlerts(state, 100110).length > 0);
    await sleep(2500);
    const alerts = jsonAlerts(state, 100110);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].location, 'svc-b');
    assert.equal(alerts[0].previous_output, "ospatrol: output: 'svc-b':\nidle");
    assert.deepEqual([alerts[0].diff!.removed, alerts[0].diff!.added], [['idle'], ['busy']]);
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('10,000-line outputs: the diff stays within its bound, with a stated fallback', async () => {
  const dir = scratch();
  const flag = join(dir, 'flag');
  // Reversed: every line still there, so only an alignment could tell the change: it is past the bound.
  const reversed = `if [ -e ${flag} ]; then seq 10000 -1 1; else seq 1 10000; fi | sed 's/^/line-/'`;
  // Completely different: exact, but too many lines to list in full.
  const rewritten = `if [ -e ${flag} ]; then seq 1 10000 | sed 's/^/new-/'; else seq 1 10000 | sed 's/^/old-/'; fi`;
  const conf = writeConfig(
    dir,
    [command('big-reversed', reversed, '<max_output>1M</max_output>'), command('big-rewritten', rewritten, '<max_output>1M</max_output>')].join('\n'),
    `<group name="local,">
  ${rule(100130, 'big-reversed', '<check_diff mode="lines" />')}
  ${rule(100131, 'big-rewritten', '<check_diff />')}
</group>`,
  );
  const state = join(dir, 'var');
  const run = startLocal(conf, state);
  try {
    await waitFor('the baselines', () => existsSync(join(state, 'queue', 'diff', 'host', '100130', 'last-entry')) && existsSync(join(state, 'queue', 'diff', 'host', '100131', 'last-entry')));
    const t0 = Date.now();
    writeFileSync(flag, '');
    await waitFor('both alerts', () => jsonAlerts(state, 100130).length > 0 && jsonAlerts(state, 100131).length > 0, 30000);
    console.log(`10,000-line outputs: both alerts written ${Date.now() - t0} ms after the change (runs are 1 s apart)`);
    const [rev] = jsonAlerts(state, 100130);
    assert.equal(rev.diff!.truncated, true);
    assert.match(rev.diff!.summary, /^same lines in a different order \(compared line by line\); too many changes to align within 1000 edits: lines compared regardless of order$/);
    const [rew] = jsonAlerts(state, 100131);
    assert.equal(rew.diff!.truncated, true);
    assert.match(rew.diff!.summary, /^10000 lines added, 10000 removed \(compared as text\); listing cut: \d+ more lines not listed; unified text cut$/);
    assert.ok(rew.diff!.added.length > 1000 && rew.diff!.added.join('\n').length <= 64 * 1024);
    assert.ok(rew.diff!.unified.length <= 64 * 1024 + 100);
    assert.equal(rew.full_log.split('\n').length, 10001, 'the output itself is whole');
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('baseline_level reports the first output; a changed exit status is rule 540 with the old and new status', async () => {
  const dir = scratch();
  const code = join(dir, 'code');
  writeFileSync(code, '1\n');
  const conf = writeConfig(
    dir,
    [command('watched', 'echo hello'), command('backup', `echo working; exit $(cat ${code})`)].join('\n'),
    `<group name="local,">
  ${rule(100140, 'watched', '<check_diff baseline_level="3" />')}
</group>`,
  );
  const state = join(dir, 'var');
  const run = startLocal(conf, state);
  try {
    const [b] = await waitFor('the baseline alert', () => jsonAlerts(state, 100140).length > 0 && jsonAlerts(state, 100140));
    assert.equal(b.rule.level, 3);
    assert.equal(b.diff!.kind, 'baseline');
    assert.equal(b.previous_output, undefined);
    await waitFor('rule 537 for the failing command', () => jsonAlerts(state, 537).length > 0);
    writeFileSync(code, '2\n');
    const [s] = await waitFor('rule 540', () => jsonAlerts(state, 540).length > 0 && jsonAlerts(state, 540));
    assert.equal(s.rule.level, 4);
    assert.equal(s.location, 'backup');
    assert.deepEqual([s.diff!.removed, s.diff!.added], [["ospatrol: command exit: 'backup': status 1"], ["ospatrol: command exit: 'backup': status 2"]]);
    await sleep(1500);
    assert.equal(jsonAlerts(state, 100140).length, 1, 'one baseline, no change since');
    assert.equal(jsonAlerts(state, 540).length, 1, 'the same status again is rule 537, not 540');
  } finally {
    assert.equal(await run.stop(), 0, run.stderr());
  }
});

test('logtest with multi-line records: a check_diff rule tested with a sequence of outputs', () => {
  const conf = join(projectRoot, 'etc', 'ospatrol.conf');
  const input = [
    'tcp        0      0 0.0.0.0:22   0.0.0.0:*  LISTEN',
    'tcp        0      0 0.0.0.0:80   0.0.0.0:*  LISTEN',
    '---',
    'tcp       17      0 0.0.0.0:80     0.0.0.0:*  LISTEN',
    'tcp        0      0 0.0.0.0:22     0.0.0.0:*  LISTEN',
    '---',
    'tcp 0 0 0.0.0.0:80 0.0.0.0:* LISTEN',
    'tcp 0 0 0.0.0.0:8080 0.0.0.0:* LISTEN',
  ].join('\n');
  const r = spawnSync(process.execPath, [cliPath, 'logtest', '-q', '-a', '-c', conf, '--hostname', 'vm', '--full-command', 'netstat', '--record-separator', '---'], {
    input,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const records = alertRecords(r.stdout);
  assert.equal(records.length, 1, r.stdout);
  assert.match(records[0], /^\*\* Alert \d+\.\d+: mail  - ospatrol,\n\d{4} \w{3} \d{2} [\d:]{8} vm->netstat\nRule: 533 \(level 7\)/);
  assert.match(records[0], /\nWhat changed: 1 line added, 1 removed \(compared as a multiset of lines, ignoring whitespace, 3 masks\)\n/);
  assert.match(records[0], /\n-tcp {8}0 {6}0 0\.0\.0\.0:22 {5}0\.0\.0\.0:\* {2}LISTEN\n\+tcp 0 0 0\.0\.0\.0:8080 0\.0\.0\.0:\* LISTEN\n\n$/);
  const u = spawnSync(process.execPath, [cliPath, 'logtest', '-q', '-c', conf, '--full-command', 'netstat', '--record-separator', '---', '-U', '533:7:ospatrol'], { input, encoding: 'utf8' });
  assert.equal(u.status, 0, u.stderr);
  assert.match(u.stderr, /\n {7}What changed: 1 line added, 1 removed/);
});
