import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

test('writes content with mode 0600, creating folders, leaving no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'osp-aw-'));
  const target = join(dir, 'a', 'b', 'state');
  writeFileAtomic(target, 'one');
  writeFileAtomic(target, "two 'quoted'\n");
  assert.equal(readFileSync(target, 'utf8'), "two 'quoted'\n");
  assert.equal(statSync(target).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(join(dir, 'a', 'b')), ['state']);
});
