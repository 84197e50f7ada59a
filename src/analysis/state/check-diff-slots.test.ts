import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileCheckDiffStore, MemoryCheckDiffStore } from './check-diff-store.js';

function withDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'ospatrol-slots-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const key = (location: string, ruleId = 533, host = 'vm') => ({ host, ruleId, location });

test("the first location keeps OSSEC's file; others get their own, all 0600", () => {
  withDir((dir) => {
    const s = new FileCheckDiffStore(dir);
    assert.equal(s.readEntry(key('netstat')), undefined);
    s.writeText(key('netstat'), 'ports');
    const rule = join(dir, 'queue/diff/vm/533');
    assert.equal(readFileSync(join(rule, 'last-entry'), 'utf8'), 'ports');
    assert.equal(readFileSync(join(rule, 'last-entry.location'), 'utf8'), 'netstat');
    assert.equal(s.read('vm', 533), 'ports'); // OSSEC's view of the same slot

    const awk = `awk '{print $1}' | sort`;
    assert.equal(s.readEntry(key(awk)), undefined);
    s.writeText(key(awk), 'other');
    const own = join(rule, "awk%20%27%7Bprint%20%241%7D%27%20%7C%20sort", 'last-entry');
    assert.equal(readFileSync(own, 'utf8'), 'other');
    assert.equal(statSync(own).mode & 0o777, 0o600);
    assert.equal(statSync(join(rule, 'last-entry.location')).mode & 0o777, 0o600);

    assert.deepEqual(s.readEntry(key('netstat')), { text: 'ports', extra: undefined, adopted: false });
    assert.deepEqual(s.readEntry(key(awk)), { text: 'other', extra: undefined, adopted: false });
    // Another rule or host is another slot.
    assert.equal(s.readEntry(key('netstat', 534)), undefined);
    assert.equal(s.readEntry(key('netstat', 533, 'web1')), undefined);

    s.writeExtra(key(awk), '{"prev":"x"}');
    assert.equal(s.readEntry(key(awk))!.extra, '{"prev":"x"}');
    s.writeExtra(key('netstat'), '{}');
    assert.ok(existsSync(join(rule, 'last-entry.flapping')));
    s.writeExtra(key('netstat'), undefined);
    assert.ok(!existsSync(join(rule, 'last-entry.flapping')));
  });
});

test("migration: an OSSEC state file is adopted by the first location seen, and only by it", () => {
  withDir((dir) => {
    const rule = join(dir, 'queue/diff/agent1/533');
    mkdirSync(rule, { recursive: true });
    writeFileSync(join(rule, 'last-entry'), Buffer.from("ossec: output: 'netstat -tan':tcp 0.0.0.0:22\0", 'utf8'));
    const s = new FileCheckDiffStore(dir);
    const first = s.readEntry(key('netstat -tan', 533, 'agent1'));
    assert.deepEqual(first, { text: "ossec: output: 'netstat -tan':tcp 0.0.0.0:22", extra: undefined, adopted: true });
    assert.equal(readFileSync(join(rule, 'last-entry.location'), 'utf8'), 'netstat -tan');
    // Read again: now owned, no longer an adoption.
    assert.equal(s.readEntry(key('netstat -tan', 533, 'agent1'))!.adopted, false);
    // A second location does not see it.
    assert.equal(s.readEntry(key('w', 533, 'agent1')), undefined);
  });
});

test('the memory store keeps one entry per (host, rule, location) too', () => {
  const m = new MemoryCheckDiffStore();
  m.writeText(key('a'), '1');
  m.writeText(key('b'), '2');
  m.writeExtra(key('a'), 'x');
  assert.deepEqual(m.readEntry(key('a')), { text: '1', extra: 'x', adopted: false });
  assert.deepEqual(m.readEntry(key('b')), { text: '2', extra: undefined, adopted: false });
  assert.equal(m.readEntry(key('c')), undefined);
});
