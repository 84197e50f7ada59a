import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RuleEngine } from '../rules/evaluate.js';
import { event, rulesFrom } from '../rules/test-support.js';
import { checkDiff, FileCheckDiffStore, hostComponent, MemoryCheckDiffStore } from './check-diff-store.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ospatrol-diff-'));
}

test('first sight stores silently; equal output is no match; a change returns the previous output', () => {
  const dir = tmp();
  try {
    const store = new FileCheckDiffStore(dir);
    assert.equal(checkDiff(store, 'vm', 533, 'one'), undefined);
    const path = join(dir, 'queue/diff/vm/533/last-entry');
    assert.equal(readFileSync(path, 'utf8'), 'one');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(checkDiff(store, 'vm', 533, 'one'), undefined);
    // Case and whitespace count.
    assert.equal(checkDiff(store, 'vm', 533, 'One'), 'one');
    assert.equal(readFileSync(path, 'utf8'), 'One');
    assert.equal(checkDiff(store, 'vm', 533, 'One '), 'One');
    // The key is (host, rule): another rule or host has its own state.
    assert.equal(checkDiff(store, 'vm', 534, 'One '), undefined);
    assert.equal(checkDiff(store, 'web1', 533, 'x'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reads files OSSEC wrote (text plus a NUL byte) as the same text', () => {
  const dir = tmp();
  try {
    const d = join(dir, 'queue/diff/agent1/533');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'last-entry'), Buffer.from('netstat out\0', 'utf8'));
    const store = new FileCheckDiffStore(dir);
    assert.equal(store.read('agent1', 533), 'netstat out');
    assert.equal(checkDiff(store, 'agent1', 533, 'netstat out'), undefined);
    // An empty state file is the empty output (OSSEC would treat it as a read error forever).
    writeFileSync(join(d, 'last-entry'), '');
    assert.equal(checkDiff(store, 'agent1', 533, ''), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('oversize outputs are not compared and leave the state alone; hosts cannot escape queue/diff', () => {
  const store = new MemoryCheckDiffStore();
  const warnings: string[] = [];
  assert.equal(checkDiff(store, 'h', 1, 'small', 64, (m) => warnings.push(m)), undefined);
  assert.equal(checkDiff(store, 'h', 1, 'x'.repeat(64), 64, (m) => warnings.push(m)), undefined);
  assert.equal(store.read('h', 1), 'small');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /64 bytes, over the 64-byte limit/);
  assert.equal(hostComponent('web1'), 'web1');
  assert.equal(hostComponent('(a)'), '(a)');
  assert.equal(hostComponent('../../etc'), '..%2F..%2Fetc');
  assert.equal(hostComponent('..'), '%2E%2E');
  const dir = tmp();
  try {
    const fs = new FileCheckDiffStore(dir);
    assert.ok(fs.pathOf('../../x', 5).startsWith(join(dir, 'queue/diff/')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a check_diff rule: no match falls back to the parent; a change alerts with "Previous output:" context', () => {
  const rs = rulesFrom(`<group name="ossec,">
  <rule id="500" level="0"><category>ossec</category><decoded_as>ossec</decoded_as><description>ossec base</description></rule>
  <rule id="530" level="0"><if_sid>500</if_sid><match>^ossec: output: </match><description>outputs</description></rule>
  <rule id="533" level="7"><if_sid>530</if_sid><match>'netstat</match><check_diff/><description>ports changed</description></rule>
</group>`);
  const dir = tmp();
  try {
    const engine = new RuleEngine(rs, { checkDiff: new FileCheckDiffStore(dir) });
    const out = (log: string) =>
      engine.evaluate(event({ log, decoder: 'ossec', type: 'ossec', hostname: '(agent1) 10.0.0.5->netstat', location: '(agent1) 10.0.0.5->netstat' }))!;
    const a = out("ossec: output: 'netstat': A");
    assert.deepEqual([a.id, a.alert], [530, false]);
    assert.equal(out("ossec: output: 'netstat': A").id, 530);
    const b = out("ossec: output: 'netstat': AB");
    assert.deepEqual([b.id, b.level, b.alert, b.mail], [533, 7, true, true]);
    assert.deepEqual(b.context, ['Previous output:', "ossec: output: 'netstat': A"]);
    assert.equal(b.previousOutput, "ossec: output: 'netstat': A");
    // The host of an agent event is the agent name (between the parentheses).
    assert.equal(readFileSync(join(dir, 'queue/diff/agent1/533/last-entry'), 'utf8'), "ossec: output: 'netstat': AB");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
