import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryContext } from '../context.js';
import { SourceCounters } from '../source.js';
import { tempDir } from '../test-support.js';
import { CHECKPOINT_VERSION, CheckpointStore, defaultCheckpointPath, type FileCheckpoint } from './checkpoints.js';

const entry: FileCheckpoint = { path: '/var/log/x', dev: '2049', ino: '18446744073709551615', pos: 10, skipping: false, headLen: 3, headHash: 'ab' };

test('round trip: versioned JSON, 0600, 64-bit inodes kept exactly', () => {
  const dir = tempDir('cp');
  const ctx = memoryContext(dir);
  const file = defaultCheckpointPath(dir);
  assert.equal(file, join(dir, 'queue', 'logcollector', 'positions.json'));
  const store = new CheckpointStore(file, ctx);
  assert.deepEqual(store.load(), []);
  assert.equal(store.save([entry]), true);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.version, CHECKPOINT_VERSION);
  assert.deepEqual(new CheckpointStore(file, ctx).load(), [entry]);
});

test('a corrupt or foreign file is ignored with a warning, never thrown', () => {
  const dir = tempDir('cp');
  const ctx = memoryContext(dir);
  const file = join(dir, 'p.json');
  writeFileSync(file, '{not json');
  assert.deepEqual(new CheckpointStore(file, ctx).load(), []);
  writeFileSync(file, JSON.stringify({ version: 99, files: [] }));
  assert.deepEqual(new CheckpointStore(file, ctx).load(), []);
  writeFileSync(file, JSON.stringify({ version: CHECKPOINT_VERSION, files: [entry, { path: 1 }] }));
  assert.deepEqual(new CheckpointStore(file, ctx).load(), [entry]);
  assert.equal(ctx.counters.get(SourceCounters.LOGFILE_CHECKPOINT_INVALID), 3);
});
