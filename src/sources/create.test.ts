import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LocalfileConfig } from '../config/model.js';
import { CommandSource } from './command/command-source.js';
import { memoryContext } from './context.js';
import { createSources } from './create.js';
import { LogfileSource } from './logfile/logfile-source.js';
import { tempDir } from './test-support.js';

const base = { file: 'c', line: 1 };
const file: LocalfileConfig = { ...base, type: 'logfile', location: '/x', format: 'syslog', linesPerEvent: 0, onlyFutureEvents: true, alias: undefined };
const command: LocalfileConfig = {
  ...base,
  type: 'command',
  command: 'true',
  format: 'command',
  alias: 'true',
  frequencySeconds: 360,
  timeoutSeconds: 60,
  maxOutputBytes: 65536,
};

test('one source for all commands, one for all files, none for an absent kind', () => {
  const ctx = memoryContext(tempDir('create'));
  const both = createSources([file, command, file], ctx, { prefix: 'ossec' });
  assert.equal(both.length, 2);
  assert.ok(both[0] instanceof CommandSource);
  assert.ok(both[1] instanceof LogfileSource);
  assert.deepEqual(createSources([file], ctx).map((s) => s.name), ['logfiles']);
  assert.deepEqual(createSources([], ctx), []);
});
