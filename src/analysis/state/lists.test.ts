import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorCodes, OspatrolError } from '../../errors.js';
import { ListStore, normaliseListName, parseListText } from './lists.js';

test('text lists: split at the first colon, lines without one skipped, ### comments and trailing blanks dropped, first key wins', () => {
  const m = parseListText('a:1\nb:\nnocolon\n\nc:x:y\r\nd:v   ### note\n### only a comment\na:2\n  e :sp\n');
  assert.deepEqual([...m.entries()], [
    ['a', '1'],
    ['b', ''],
    ['c', 'x:y'],
    ['d', 'v'],
    ['  e ', 'sp'],
  ]);
});

test('list names as OSSEC normalises them, found by text or cdb name', () => {
  assert.equal(normaliseListName('blocked'), 'rules/blocked');
  assert.equal(normaliseListName('lists/blocked.cdb'), 'lists/blocked');
  assert.equal(normaliseListName('etc/lists/x'), 'etc/lists/x');
  const store = new ListStore();
  const l = store.addText('lists/blocked', '/p', '10.0.0.1:\n');
  assert.equal(store.find('lists/blocked'), l);
  assert.equal(store.find('lists/blocked.cdb'), l);
  assert.equal(store.find('blocked'), undefined);
});

test('address lookups try the exact key, then prefixes ending in a dot', () => {
  const store = new ListStore();
  const l = store.addText('nets', '/p', '10.1.:a\n10.1.2.:b\n192.168.1.7:c\n');
  assert.equal(l.getAddress('10.1.2.3'), 'b');
  assert.equal(l.getAddress('10.1.9.9'), 'a');
  assert.equal(l.getAddress('192.168.1.7'), 'c');
  assert.equal(l.getAddress('192.168.1.70'), undefined);
  assert.equal(l.get('10.1.2.3'), undefined);
});

test('list files are read from disk; a missing one is a LIST_INVALID error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ospatrol-list-'));
  try {
    writeFileSync(join(dir, 'users'), 'root:admin\n');
    const store = new ListStore();
    assert.equal(store.addFile('lists/users', join(dir, 'users')).get('root'), 'admin');
    assert.throws(
      () => store.addFile('lists/none', join(dir, 'none')),
      (e: unknown) => e instanceof OspatrolError && e.code === ErrorCodes.LIST_INVALID,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
