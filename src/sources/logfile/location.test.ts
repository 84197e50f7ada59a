import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test-support.js';
import { expandGlob, globSegmentRegex, LocationPattern, strftime } from './location.js';

test('strftime: the conversions used in log names, local time', () => {
  const d = new Date(2024, 0, 5, 7, 8, 9);
  assert.equal(strftime('/l/app-%Y-%m-%d.log', d), '/l/app-2024-01-05.log');
  assert.equal(strftime('%y%b%e %H:%M:%S %j %a %p %I %% %Q', d), '24Jan 5 07:08:09 005 Fri AM 07 % %Q');
});

test('glob segment: *, ?, classes, negation, escapes', () => {
  assert.ok(globSegmentRegex('*.log').test('a.log'));
  assert.ok(!globSegmentRegex('*.log').test('a.log.1'));
  assert.ok(globSegmentRegex('a?.log').test('ab.log'));
  assert.ok(globSegmentRegex('[ab]x').test('bx'));
  assert.ok(!globSegmentRegex('[!ab]x').test('bx'));
  assert.ok(globSegmentRegex('\\*x').test('*x'));
  assert.ok(!globSegmentRegex('\\*x').test('ax'));
  assert.ok(globSegmentRegex('a[').test('a['));
});

test('glob expansion: regular files only, sorted, dotfiles need an explicit dot, nested segments', async () => {
  const dir = tempDir('glob');
  mkdirSync(join(dir, 'd1'));
  mkdirSync(join(dir, 'd2'));
  mkdirSync(join(dir, 'x.log'));
  for (const f of ['b.log', 'a.log', '.h.log', 'c.txt', 'd1/z.log', 'd2/y.log']) writeFileSync(join(dir, f), '');
  assert.deepEqual(await expandGlob(join(dir, '*.log')), [join(dir, 'a.log'), join(dir, 'b.log')]);
  assert.deepEqual(await expandGlob(join(dir, '.*.log')), [join(dir, '.h.log')]);
  assert.deepEqual(await expandGlob(join(dir, 'd*', '*.log')), [join(dir, 'd1/z.log'), join(dir, 'd2/y.log')]);
  assert.deepEqual(await expandGlob(join(dir, 'none', '*.log')), []);
});

test('a location pattern combines strftime then glob; plain paths are returned even when missing', async () => {
  const dir = tempDir('glob');
  writeFileSync(join(dir, 'app-2024-01-05-1.log'), '');
  const p = new LocationPattern(join(dir, 'app-%Y-%m-%d-*.log'));
  assert.equal(p.dynamic, true);
  assert.deepEqual(await p.expand(new Date(2024, 0, 5)), [join(dir, 'app-2024-01-05-1.log')]);
  const plain = new LocationPattern(join(dir, 'missing.log'));
  assert.equal(plain.dynamic, false);
  assert.deepEqual(await plain.expand(new Date()), [join(dir, 'missing.log')]);
});
