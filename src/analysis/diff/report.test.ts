import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { alignLines } from './align.js';
import { DEFAULT_DIFF_BOUNDS, type DiffBounds } from './bounds.js';
import { comparable } from './normalise.js';
import { buildChangeReport } from './report.js';
import { OSSEC_DIFF_SPEC, type DiffSpec } from './spec.js';
import { specWith } from './test-support.js';
import { unorderedDiff } from './unordered.js';

function report(a: string, b: string, spec: DiffSpec = OSSEC_DIFF_SPEC, bounds: Partial<DiffBounds> = {}) {
  return buildChangeReport(comparable(a, spec), comparable(b, spec), spec, { ...DEFAULT_DIFF_BOUNDS, ...bounds });
}

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

test('ordered: diff -u style hunks with 3 lines of context', () => {
  const a = lines(12, (i) => `l${i}`);
  const b = a.replace('l2', 'l2x').replace('l10\n', '');
  const r = report(a, b);
  assert.deepEqual(r.removed, ['l2', 'l10']);
  assert.deepEqual(r.added, ['l2x']);
  assert.equal(r.truncated, false);
  assert.equal(r.kind, 'change');
  assert.equal(r.summary, '1 line added, 2 removed (compared as text)');
  assert.equal(
    r.unified,
    ['--- previous', '+++ current', '@@ -1,6 +1,6 @@', ' l0', ' l1', '-l2', '+l2x', ' l3', ' l4', ' l5',
      '@@ -8,5 +8,4 @@', ' l7', ' l8', ' l9', '-l10', ' l11'].join('\n'),
  );
  assert.match(report('a', 'x\na').unified, /@@ -1,1 \+1,2 @@\n\+x\n a$/);
  // Without context, an insertion at the top uses diff -u's empty-range convention.
  assert.match(report('a', 'x\na', OSSEC_DIFF_SPEC, { context: 0 }).unified, /@@ -0,0 \+1,1 @@\n\+x$/);
  assert.match(report('a\nb\nc', 'a\nc', OSSEC_DIFF_SPEC, { context: 0 }).unified, /@@ -2,1 \+1,0 @@\n-b$/);
});

test('ordered with masks: the display shows printed lines, the alignment uses masked ones', () => {
  const spec = specWith({ mode: 'lines', masks: [['pid=\\d+']] });
  const r = report('a pid=1\nb pid=2', 'a pid=7\nb pid=8\nc pid=9', spec);
  assert.deepEqual([r.removed, r.added], [[], ['c pid=9']]);
  assert.match(r.unified, /^ a pid=7\n b pid=8\n\+c pid=9$/m);
});

test('set and multiset: lines added and removed regardless of order', () => {
  const set = report('a\nb\nb\nc', 'c\nd\na\nd', specWith({ mode: 'set' }));
  assert.deepEqual([set.removed, set.added], [['b'], ['d']]);
  assert.equal(set.unified, '--- previous\n+++ current\n@@ compared as a set of lines @@\n-b\n+d');
  const multi = report('a\nb\nb\nc', 'c\nd\na\nd\nb', specWith({ mode: 'multiset' }));
  assert.deepEqual([multi.removed, multi.added], [['b'], ['d', 'd']]);
  assert.deepEqual(unorderedDiff(['x', 'y', 'x'], ['x'], false), { removed: [1, 2], added: [] });
});

test('a change too large to align falls back to an unordered listing, marked truncated', () => {
  const a = lines(300, (i) => `line ${i}`);
  const b = a.split('\n').reverse().join('\n');
  assert.equal(alignLines(a.split('\n'), b.split('\n'), { ...DEFAULT_DIFF_BOUNDS, maxEditLength: 50 }), undefined);
  const r = report(a, b + '\nnew', OSSEC_DIFF_SPEC, { maxEditLength: 50 });
  assert.equal(r.truncated, true);
  assert.deepEqual([r.removed, r.added], [[], ['new']]);
  assert.match(r.summary, /too many changes to align within 50 edits: lines compared regardless of order/);
  assert.match(r.unified, /^@@ too many changes to align within 50 edits: lines compared regardless of order @@\n\+new$/m);
  // A pure reordering says so.
  assert.match(report(a, b, OSSEC_DIFF_SPEC, { maxEditLength: 50 }).summary, /^same lines in a different order/);
});

test('listings and the unified text are cut at their bounds, and say so', () => {
  const a = lines(100, (i) => `old ${i}`);
  const b = lines(100, (i) => `new ${i}`);
  const r = report(a, b, OSSEC_DIFF_SPEC, { maxListChars: 60, maxUnifiedChars: 200 });
  assert.equal(r.truncated, true);
  assert.ok(r.added.length < 100 && r.added.length > 0);
  assert.equal(r.added.join('\n').length <= 60, true);
  assert.match(r.summary, /^100 lines added, 100 removed .*; listing cut: \d+ more lines not listed; unified text cut$/);
  assert.match(r.unified, /\n@@ cut: \d+ more lines not shown @@$/);
  assert.ok(r.unified.length < 300);
});

test('10,000-line outputs: every diff stays within its bound (times printed)', () => {
  const base = Array.from({ length: 10000 }, (_, i) => `tcp 0 0 10.0.${i >> 8}.${i & 255}:${1000 + i} 0.0.0.0:* LISTEN`);
  const cases: Array<[string, string[], boolean]> = [
    ['0.1 % changed', base.map((l, i) => (i % 1000 === 0 ? `${l} x` : l)), false],
    ['1 % changed', base.map((l, i) => (i % 100 === 0 ? `${l} x` : l)), false],
    ['10 % changed', base.map((l, i) => (i % 10 === 0 ? `${l} x` : l)), false],
    ['completely different', base.map((l) => `other ${l}`), false],
    // Every line is still there, so nothing can be set aside: only this hits maxEditLength.
    ['reversed', [...base].reverse(), true],
    ['shuffled', [...base].sort((x, y) => (x.length * 7919 + x.charCodeAt(x.length - 9)) % 13 - (y.length * 7919 + y.charCodeAt(y.length - 9)) % 13 || (x < y ? -1 : 1)), true],
  ];
  const a = base.join('\n');
  for (const [name, b, fallback] of cases) {
    const t0 = performance.now();
    const r = report(a, b.join('\n'));
    const ms = performance.now() - t0;
    console.log(`10,000 lines, ${name}: ${ms.toFixed(1)} ms, ${r.added.length} added / ${r.removed.length} removed listed, truncated=${r.truncated}`);
    assert.equal(r.summary.includes('too many changes to align'), fallback, `${name}: ${r.summary}`);
    // A generous ceiling: unbounded, the completely different case took 15.6 s (deps.md 7).
    assert.ok(ms < 5000, `${name} took ${ms} ms`);
    assert.ok(r.unified.length <= DEFAULT_DIFF_BOUNDS.maxUnifiedChars + 100);
    assert.ok(r.added.join('\n').length <= DEFAULT_DIFF_BOUNDS.maxListChars);
  }
});
