import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pendingMigrations, type Migration } from './migration.js';

const m = (version: number): Migration => ({ version, description: `v${version}`, statements: [] });

test('pending migrations are those after the current version', () => {
  assert.deepEqual(pendingMigrations([m(1), m(2), m(3)], 0).map((x) => x.version), [1, 2, 3]);
  assert.deepEqual(pendingMigrations([m(1), m(2), m(3)], 2).map((x) => x.version), [3]);
  assert.deepEqual(pendingMigrations([m(1)], 1), []);
});

test('a newer database and a list with gaps are refused', () => {
  assert.throws(() => pendingMigrations([m(1)], 2), /newer than this OSPatrol/);
  assert.throws(() => pendingMigrations([m(1), m(3)], 0), /broken/);
  assert.throws(() => pendingMigrations([m(1)], -1), /not a version/);
});
