import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDiffAlert, sshdAlert } from '../../test-support/alert-fixtures.js';
import { AlertJournal } from './alert-journal.js';
import { segmentName } from './journal-entry.js';
import { JournalReader } from './journal-reader.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'osp-journal-'));
}

function readAll(j: AlertJournal, after = 0): Array<{ seq: number; id: string }> {
  const r = new JournalReader({ dir: j.dir, segments: () => j.segments() });
  r.seek(after);
  const out = r.read(1_000_000).map((e) => ({ seq: e.seq, id: e.alert.id }));
  r.close();
  return out;
}

test('appends get increasing seqs; entries read back equal, hostile text included; files are 0600', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d });
  const hostile = checkDiffAlert({ fullLog: "a\u0000b\n'\"\\ 😀 \ud800 '); DROP TABLE x;--", fields: { ['__proto__']: 'x' } });
  assert.equal(j.append(sshdAlert()), 1);
  assert.equal(j.append(hostile), 2);
  const r = new JournalReader({ dir: d, segments: () => j.segments() });
  r.seek(0);
  const [a, b] = r.read(10);
  assert.deepEqual(a.alert, sshdAlert());
  assert.deepEqual(b.alert, hostile);
  assert.deepEqual(r.read(10), []);
  j.append(sshdAlert({ id: '3.3' }));
  assert.deepEqual(r.read(10).map((e) => e.seq), [3]);
  r.close();
  assert.equal(statSync(join(d, segmentName(1))).mode & 0o777, 0o600);
  j.close();
});

test('sequence numbers continue after a restart; a second process is refused while the first holds the lock', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d });
  j.append(sshdAlert());
  j.append(sshdAlert());
  assert.throws(() => AlertJournal.open({ dir: d }), /in use by this process/);
  j.close();
  const j2 = AlertJournal.open({ dir: d });
  assert.equal(j2.append(sshdAlert()), 3);
  j2.close();
  // A lock left by a dead process (kill -9) is taken over.
  writeFileSync(join(d, 'lock'), '999999\n');
  const j3 = AlertJournal.open({ dir: d });
  assert.equal(j3.nextSeq, 4);
  j3.close();
});

test('segments roll over by size; readers cross them; prune removes only what every output passed', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d, segmentBytes: 2000 });
  for (let i = 0; i < 20; i++) j.append(sshdAlert({ id: `1.${i}` }));
  const segs = [...j.segments()];
  assert.ok(segs.length >= 5, `segments: ${segs}`);
  assert.deepEqual(readAll(j).map((e) => e.seq), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.deepEqual(readAll(j, 13).map((e) => e.seq), [14, 15, 16, 17, 18, 19, 20]);
  j.prune(segs[2] - 1); // the first two segments are fully delivered
  assert.deepEqual(j.segments(), segs.slice(2));
  j.prune(0);
  assert.deepEqual(j.segments(), segs.slice(2));
  j.prune(1_000);
  assert.deepEqual(j.segments(), [segs[segs.length - 1]], 'the open segment is kept');
  assert.equal(j.stats().lastSeq, 20);
  j.close();
});

test('a reader behind a pruned segment reports the gap and goes on from what is left', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d, segmentBytes: 2000 });
  for (let i = 0; i < 10; i++) j.append(sshdAlert());
  const segs = [...j.segments()];
  j.prune(segs[1] - 1);
  const gaps: Array<[number, number]> = [];
  const r = new JournalReader({ dir: d, segments: () => j.segments(), onGap: (a, b) => gaps.push([a, b]) });
  r.seek(0);
  assert.equal(r.read(100)[0].seq, segs[1]);
  assert.deepEqual(gaps, [[1, segs[1]]]);
  r.close();
  j.close();
});

test('over maxBytes the oldest segments go even if not delivered, with a warning', () => {
  const d = dir();
  const warnings: string[] = [];
  const j = AlertJournal.open({ dir: d, segmentBytes: 2000, maxBytes: 5000, warn: (m) => warnings.push(m) });
  for (let i = 0; i < 20; i++) j.append(sshdAlert());
  j.prune(0);
  assert.ok(j.stats().bytes <= 5000 + 2000, String(j.stats().bytes));
  assert.match(warnings.join('\n'), /over its size limit/);
  j.close();
});

test('a torn last line (power cut) is cut at open; nothing after it is lost or misread', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d });
  j.append(sshdAlert({ id: 'a' }));
  j.append(sshdAlert({ id: 'b' }));
  j.close();
  const seg = join(d, segmentName(1));
  const full = statSync(seg).size;
  appendFileSync(seg, '{"seq":3,"alert":{"id":"tor');
  const warnings: string[] = [];
  const j2 = AlertJournal.open({ dir: d, warn: (m) => warnings.push(m) });
  assert.equal(statSync(seg).size, full);
  assert.match(warnings.join(), /torn/);
  assert.equal(j2.append(sshdAlert({ id: 'c' })), 3);
  assert.deepEqual(readAll(j2).map((e) => e.id), ['a', 'b', 'c']);
  j2.close();
  // Half of a line cut by truncation: same.
  truncateSync(seg, full - 10);
  const j3 = AlertJournal.open({ dir: d });
  assert.deepEqual(readAll(j3).map((e) => e.id), ['a']);
  assert.equal(j3.nextSeq, 2);
  j3.close();
});

test('seqFloor keeps new seqs above a persisted cursor even when the journal lost its tail', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d });
  j.append(sshdAlert());
  j.close();
  const j2 = AlertJournal.open({ dir: d, seqFloor: 50 });
  assert.equal(j2.append(sshdAlert({ id: 'after' })), 50);
  assert.deepEqual(readAll(j2).map((e) => e.seq), [1, 50]);
  assert.deepEqual(readAll(j2, 1).map((e) => e.id), ['after']);
  j2.close();
  assert.deepEqual(
    readdirSync(d).filter((n) => n.endsWith('.jsonl')),
    [segmentName(1), segmentName(50)],
  );
});

test('a reader never returns a line still being written, and skips an unreadable one', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d });
  j.append(sshdAlert({ id: 'one' }));
  j.close();
  const seg = join(d, segmentName(1));
  appendFileSync(seg, 'not json\n{"seq":3,"alert":{"id":"three"}}\n{"seq":4,"al');
  const bad: unknown[] = [];
  const r = new JournalReader({ dir: d, segments: () => [1], onBadLine: (p) => bad.push(p) });
  r.seek(0);
  assert.deepEqual(r.read(10).map((e) => e.alert.id), ['one', 'three']);
  assert.equal(bad.length, 1);
  appendFileSync(seg, 'ert":{"id":"four"}}\n');
  assert.deepEqual(r.read(10).map((e) => e.alert.id), ['four']);
  r.close();
  assert.match(readFileSync(seg, 'utf8'), /four/);
});

test('long entries (a 1 MB full_command output) read back whole', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d });
  const big = checkDiffAlert({ fullLog: 'x'.repeat(1_000_000) + '\n😀' });
  j.append(sshdAlert());
  j.append(big);
  j.append(sshdAlert({ id: 'after' }));
  const r = new JournalReader({ dir: d, segments: () => j.segments() });
  r.seek(0);
  const got = r.read(10);
  assert.equal(got.length, 3);
  assert.equal(got[1].alert.fullLog, big.fullLog);
  assert.equal(got[2].alert.id, 'after');
  r.close();
  j.close();
});

test('appendMany: one notice, ids stamped with their seqs, segments rolled over inside the run', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d, segmentBytes: 2000 });
  let notices = 0;
  j.onAppend(() => notices++);
  j.append(sshdAlert({ id: 'first' }));
  const alerts = Array.from({ length: 20 }, (_, i) => sshdAlert({ id: `run-${i}` }));
  const first = j.appendMany(alerts, (a, seq) => ({ ...a, id: `${a.id}@${seq}` }));
  assert.equal(first, 2);
  assert.equal(notices, 2);
  assert.equal(j.nextSeq, 22);
  assert.ok(j.segments().length >= 5, `segments: ${j.segments()}`);
  for (const s of j.segments()) assert.ok(statSync(join(d, segmentName(s))).size <= 2000);
  assert.deepEqual(readAll(j).map((e) => e.id), ['first', ...alerts.map((a, i) => `${a.id}@${i + 2}`)]);
  assert.deepEqual(readAll(j).map((e) => e.seq), Array.from({ length: 21 }, (_, i) => i + 1));
  j.close();
});

test('appendMany on a full disk throws and appends nothing of the failed write (nextSeq says so)', { skip: existsSync('/dev/full') ? false : 'no /dev/full here' }, () => {
  const d = dir();
  // The segment file is the kernel's always-full device: every write fails with ENOSPC.
  symlinkSync('/dev/full', join(d, segmentName(1)));
  const j = AlertJournal.open({ dir: d });
  let notices = 0;
  j.onAppend(() => notices++);
  assert.throws(() => j.appendMany([sshdAlert(), sshdAlert()]), /ENOSPC/);
  assert.equal(j.nextSeq, 1);
  assert.equal(notices, 0);
  j.close();
});
