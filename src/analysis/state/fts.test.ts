import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RuleEngine } from '../rules/evaluate.js';
import { event, rulesFrom } from '../rules/test-support.js';
import { FTS_DATA, FTS_DSTUSER, FTS_ID, FTS_LOCATION, FTS_NAME, FTS_SRCIP, FtsStore, ftsFlags, ftsKey, IgnoreStore, ignoreLine } from './fts.js';

test('<fts> words map by substring, srcuser landing on dstuser as in OSSEC', () => {
  assert.equal(ftsFlags(['name', 'srcuser', 'location']), FTS_NAME | FTS_DSTUSER | FTS_LOCATION);
  assert.equal(ftsFlags(['name', 'id', 'srcip', 'extra_data']), FTS_NAME | FTS_ID | FTS_SRCIP | FTS_DATA);
});

test('the FTS key has nine positions, filled only for selected and set fields', () => {
  const ev = event({ log: 'x', decoder: 'tst', fields: { dstuser: 'root', srcip: '1.2.3.4', srcuser: 'bob' }, location: '10.1.1.1' });
  // The verified OSSEC line for sshd (<fts>name, user, location</fts>): "sshd  root      10.1.1.1".
  assert.equal(ftsKey(ev, 'sshd', ftsFlags(['name', 'user', 'location'])), 'sshd  root      10.1.1.1');
});

test('first time seen once per key; keys load from and persist to queue/fts/fts-queue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ospatrol-fts-'));
  try {
    const a = new FtsStore({ stateDir: dir, persist: true });
    assert.equal(a.check('k1', false), true);
    assert.equal(a.check('k1', false), false);
    assert.equal(readFileSync(join(dir, 'queue/fts/fts-queue'), 'utf8'), 'k1\n');
    const b = new FtsStore({ stateDir: dir, persist: false });
    assert.equal(b.check('k1', false), false);
    assert.equal(b.check('k2', false), true);
    assert.equal(readFileSync(join(dir, 'queue/fts/fts-queue'), 'utf8'), 'k1\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ids decoders: after 3 similar recent keys a new one is stored cut to fts_min_size_for_str', () => {
  const s = new FtsStore({ minSizeForStr: 6, listSize: 32 });
  assert.equal(s.check('snort 1:1000 10.0.0.1', true), true);
  assert.equal(s.check('snort 1:1001 10.0.0.2', true), true);
  assert.equal(s.check('snort 1:1002 10.0.0.3', true), true);
  // Three earlier keys share more than 6 leading characters: this one is stored as "snort ".
  assert.equal(s.check('snort 1:1003 10.0.0.4', true), true);
  assert.ok(s.has('snort '));
  // A syslog decoder's keys are never cut.
  assert.equal(s.check('sshd root', false), true);
  assert.ok(s.has('sshd root'));
});

test('if_fts rules pass on the first sight of a key only, and need a decoder with <fts>', () => {
  const rs = rulesFrom(`<group name="g,"><rule id="100" level="0"><decoded_as>tst</decoded_as><description>b</description></rule>
  <rule id="110" level="3"><if_sid>100</if_sid><match>login</match><description>login</description></rule>
  <rule id="111" level="8"><if_sid>110</if_sid><if_fts/><description>first login of this user</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const login = (user: string, fts?: string[]) => engine.evaluate(event({ log: 'login', decoder: 'tst', fields: { dstuser: user }, fts }))!.id;
  const f = ['name', 'user', 'location'];
  assert.deepEqual([login('ann', f), login('ann', f), login('bob', f), login('bob')], [111, 110, 111, 110]);
  assert.deepEqual([login('cat', ['done']), login('cat', ['done'])], [111, 111]);
});

test('ignore lines: OSSEC builds data and system_name from the <ignore> mask even when checking', () => {
  const ev = event({ log: 'x', decoder: 'tst', fields: { srcip: '1.2.3.4', id: '7', data: 'd' } });
  assert.equal(ignoreLine(ev, 'tst', FTS_SRCIP | FTS_ID, 0), ' 7  1.2.3.4    ');
  assert.equal(ignoreLine(ev, 'tst', FTS_SRCIP, FTS_DATA), '   1.2.3.4  d  ');
  const dir = mkdtempSync(join(tmpdir(), 'ospatrol-ig-'));
  try {
    const logtest = new IgnoreStore({ stateDir: dir, writable: false });
    logtest.add('a b');
    assert.equal(logtest.has('a b'), false);
    assert.equal(existsSync(join(dir, 'queue/fts/ig-queue')), false);
    const daemon = new IgnoreStore({ stateDir: dir, persist: true });
    daemon.add('a b');
    assert.equal(daemon.has('a b'), true);
    assert.equal(new IgnoreStore({ stateDir: dir, writable: false }).has('a b'), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
