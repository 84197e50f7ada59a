import { alignLines, type Alignment } from './align.js';
import type { DiffBounds } from './bounds.js';
import type { Comparable } from './normalise.js';
import type { DiffSpec } from './spec.js';
import type { ChangeReport } from './types.js';
import { unorderedDiff } from './unordered.js';

const EQUAL = 0;
const REMOVED = 1;
const ADDED = 2;
/** One line of an ordered diff: its kind and its index in the old (a) or new (b) output. */
type Op = { t: typeof EQUAL | typeof REMOVED | typeof ADDED; a: number; b: number };

/**
 * The change between two outputs of one check_diff rule, as shown in the alert: lines removed
 * and added (as printed, not masked), a unified text, and a one-line summary. Ordered modes
 * (text, lines) align the lines (align.ts); set and multiset modes, and an ordered change too
 * large to align within `bounds`, compare the lines regardless of order. Listings are cut at
 * the bounds' sizes; `truncated` then says so, as it does for the fallback.
 */
export function buildChangeReport(prev: Comparable, cur: Comparable, spec: DiffSpec, bounds: DiffBounds): ChangeReport {
  const notes: string[] = [];
  let ops: Op[] | undefined;
  let unorderedNote: string | undefined;
  if (spec.mode === 'text' || spec.mode === 'lines') {
    const pairs = alignLines(prev.keys, cur.keys, bounds);
    if (pairs) ops = toOps(pairs, prev.keys.length, cur.keys.length);
    else {
      unorderedNote = `too many changes to align within ${bounds.maxEditLength} edits: lines compared regardless of order`;
      notes.push(unorderedNote);
    }
  } else {
    unorderedNote = `compared ${spec.description}`;
  }

  let removedIdx: number[];
  let addedIdx: number[];
  if (ops) {
    removedIdx = [];
    addedIdx = [];
    for (const op of ops) {
      if (op.t === REMOVED) removedIdx.push(op.a);
      else if (op.t === ADDED) addedIdx.push(op.b);
    }
  } else {
    ({ removed: removedIdx, added: addedIdx } = unorderedDiff(prev.keys, cur.keys, spec.mode === 'set'));
  }

  const removed = capped(removedIdx.map((i) => prev.lines[i]), bounds.maxListChars);
  const added = capped(addedIdx.map((j) => cur.lines[j]), bounds.maxListChars);
  if (removed.cut > 0 || added.cut > 0) {
    notes.push(`listing cut: ${removed.cut + added.cut} more line${removed.cut + added.cut === 1 ? '' : 's'} not listed`);
  }

  const unified = ops
    ? orderedText(ops, prev, cur, bounds)
    : unorderedText(unorderedNote ?? '', removed.lines, added.lines, removed.cut + added.cut, bounds);
  if (unified.cut) notes.push('unified text cut');

  let summary = `${count(addedIdx.length, 'line')} added, ${removedIdx.length} removed (compared ${spec.description})`;
  if (removedIdx.length === 0 && addedIdx.length === 0) summary = `same lines in a different order (compared ${spec.description})`;
  if (notes.length > 0) summary += `; ${notes.join('; ')}`;
  return {
    kind: 'change',
    added: added.lines,
    removed: removed.lines,
    unified: unified.text,
    truncated: notes.length > 0,
    summary,
  };
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function toOps(pairs: Alignment, aLen: number, bLen: number): Op[] {
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  const gap = (pi: number, pj: number): void => {
    while (i < pi) ops.push({ t: REMOVED, a: i++, b: j });
    while (j < pj) ops.push({ t: ADDED, a: i, b: j++ });
  };
  for (const [pi, pj] of pairs) {
    gap(pi, pj);
    ops.push({ t: EQUAL, a: i++, b: j++ });
  }
  gap(aLen, bLen);
  return ops;
}

/** Lines up to `max` characters in all; `cut` counts the ones left out. */
function capped(lines: string[], max: number): { lines: string[]; cut: number } {
  let size = 0;
  for (let k = 0; k < lines.length; k++) {
    size += lines[k].length + 1;
    if (size > max) return { lines: lines.slice(0, k), cut: lines.length - k };
  }
  return { lines, cut: 0 };
}

/** Appends lines to a text of bounded size. */
class BoundedText {
  text = '';
  cut = 0;
  constructor(private readonly max: number) {}
  add(line: string): void {
    if (this.cut > 0 || this.text.length + line.length + 1 > this.max) this.cut++;
    else this.text += line + '\n';
  }
  finish(): { text: string; cut: boolean } {
    if (this.cut > 0) this.text += `@@ cut: ${count(this.cut, 'more line')} not shown @@\n`;
    return { text: this.text.replace(/\n$/, ''), cut: this.cut > 0 };
  }
}

/** `--- previous`, `+++ current`, then hunks with `bounds.context` unchanged lines around changes. */
function orderedText(ops: Op[], prev: Comparable, cur: Comparable, bounds: DiffBounds): { text: string; cut: boolean } {
  const out = new BoundedText(bounds.maxUnifiedChars);
  out.add('--- previous');
  out.add('+++ current');
  const ctx = bounds.context;
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k].t === EQUAL) k++;
    if (k === ops.length) break;
    // A hunk: from `ctx` lines before this change to `ctx` lines after the last change that is
    // at most 2 x ctx unchanged lines away from the previous one.
    const start = Math.max(0, k - ctx);
    let last = k;
    let m = k + 1;
    while (m < ops.length) {
      if (ops[m].t !== EQUAL) {
        last = m;
        m++;
      } else if (m - last > 2 * ctx) break;
      else m++;
    }
    const end = Math.min(ops.length, last + ctx + 1);
    let oldLen = 0;
    let newLen = 0;
    for (let q = start; q < end; q++) {
      if (ops[q].t !== ADDED) oldLen++;
      if (ops[q].t !== REMOVED) newLen++;
    }
    // 1-based first line; for an empty range, the line before it (diff -u's convention).
    const oldStart = ops[start].a + (oldLen > 0 ? 1 : 0);
    const newStart = ops[start].b + (newLen > 0 ? 1 : 0);
    out.add(`@@ -${oldStart},${oldLen} +${newStart},${newLen} @@`);
    for (let q = start; q < end; q++) {
      const op = ops[q];
      if (op.t === EQUAL) out.add(' ' + cur.lines[op.b]);
      else if (op.t === REMOVED) out.add('-' + prev.lines[op.a]);
      else out.add('+' + cur.lines[op.b]);
    }
    k = end;
  }
  return out.finish();
}

function unorderedText(note: string, removed: string[], added: string[], notListed: number, bounds: DiffBounds): { text: string; cut: boolean } {
  const out = new BoundedText(bounds.maxUnifiedChars);
  out.add('--- previous');
  out.add('+++ current');
  out.add(`@@ ${note} @@`);
  for (const l of removed) out.add('-' + l);
  for (const l of added) out.add('+' + l);
  if (notListed > 0) out.add(`@@ ${count(notListed, 'more line')} not listed @@`);
  return out.finish();
}
