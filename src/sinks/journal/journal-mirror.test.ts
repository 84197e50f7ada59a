import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../runtime/logger.js';
import { sshdAlert } from '../../test-support/alert-fixtures.js';
import { CursorStore } from '../delivery/cursor-store.js';
import type { Output } from '../delivery/output.js';
import { OutputRunner } from '../delivery/output-runner.js';
import { AlertJournal } from './alert-journal.js';
import type { JournalEntry, ReadEntry } from './journal-entry.js';
import { EntryCache } from './journal-feed.js';
import { JournalMirror } from './journal-mirror.js';
import { JournalReader } from './journal-reader.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'osp-mirror-'));
}

function head(j: AlertJournal): { lastSeq: number; syncedSeq: number; segments: number[] } {
  return { lastSeq: j.lastSeq, syncedSeq: j.syncedSeq, segments: [...j.segments()] };
}

test('readers sharing an entry cache: each line parsed once, entries and positions as read from the file, across segments', () => {
  const d = dir();
  const j = AlertJournal.open({ dir: d, segmentBytes: 2000 });
  for (let i = 1; i <= 12; i++) j.append(sshdAlert({ id: `1.${i}` }));
  const cache = new EntryCache();
  const opts = { dir: d, segments: () => j.segments(), cache };
  const a = new JournalReader(opts);
  const b = new JournalReader(opts);
  const plain = new JournalReader({ dir: d, segments: () => j.segments() });
  a.seek(0);
  b.seek(0);
  plain.seek(0);
  const first = a.read(5);
  const all = b.read(100);
  const reference = plain.read(100);
  assert.deepEqual(all, reference, 'what the file holds, positions included');
  assert.ok(j.segments().length > 2, 'several segments');
  for (let i = 0; i < 5; i++) assert.equal(all[i], first[i], 'the entries a parsed, b took from the cache');
  const rest = a.read(100);
  assert.deepEqual(rest.map((e) => e.seq), [6, 7, 8, 9, 10, 11, 12]);
  for (const e of rest) assert.equal(e, all[e.seq - 1]);
  // New entries: whoever reads first parses them, the other takes them, and both are at the end.
  j.append(sshdAlert({ id: '1.13' }));
  const [x] = b.read(10);
  assert.equal(a.read(10)[0], x);
  assert.deepEqual(a.read(10), []);
  assert.equal(cache.size, 13);
  a.close();
  b.close();
  plain.close();
  j.close();
});

test('a cache is used only where a reader stands: a reader resuming at a seq or after a gap reads the file', () => {
  const d = dir();
  let j = AlertJournal.open({ dir: d });
  j.append(sshdAlert({ id: 'one' }));
  j.append(sshdAlert({ id: 'two' }));
  j.close();
  j = AlertJournal.open({ dir: d, seqFloor: 10 }); // a gap: 3..9 never existed
  j.append(sshdAlert({ id: 'ten' }));
  const cache = new EntryCache(2); // tiny: the oldest entries go
  const r1 = new JournalReader({ dir: d, segments: () => j.segments(), cache });
  r1.seek(0);
  assert.deepEqual(r1.read(100).map((e) => e.alert.id), ['one', 'two', 'ten']);
  const r2 = new JournalReader({ dir: d, segments: () => j.segments(), cache });
  r2.seek(1);
  assert.deepEqual(r2.read(100).map((e) => [e.seq, e.alert.id]), [[2, 'two'], [10, 'ten']]);
  assert.equal(cache.size, 2);
  r1.close();
  r2.close();
  j.close();
});

test('a delivery loop on a mirror of the journal (the outputs thread) delivers what the journal reported, in order, and resumes from its cursor', async () => {
  const d = dir();
  const j = AlertJournal.open({ dir: join(d, 'journal'), segmentBytes: 3000 });
  const mirror = new JournalMirror(j.dir, head(j));
  const cursors = new CursorStore(join(d, 'cursors'));
  const got: number[] = [];
  const output: Output = {
    name: 'rec',
    target: 'memory',
    local: true,
    deliver: (entries: readonly JournalEntry[]) => void got.push(...entries.map((e) => e.seq)),
    close: () => undefined,
  };
  let wakes = 0;
  mirror.onAppend(() => wakes++);
  const runner = new OutputRunner({ output, journal: mirror, cursors, logger: silentLogger, commitIntervalMs: 0 });
  runner.start();
  for (let i = 0; i < 10; i++) j.append(sshdAlert());
  // Appended but not reported yet: nothing wakes the loop for them.
  assert.equal(wakes, 0);
  mirror.update(head(j));
  mirror.update(head(j)); // nothing new: no wake-up
  assert.equal(wakes, 1);
  const end = Date.now() + 5000;
  while (got.length < 10 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  await runner.stop(1000);
  assert.equal(cursors.read('rec')?.seq, 10);
  assert.equal(mirror.lastSeq, 10);
  // Flushing through the mirror: the open segment is flushed through a descriptor of its own.
  mirror.syncThrough(10);

  // A restart resumes after the cursor.
  for (let i = 0; i < 3; i++) j.append(sshdAlert());
  const again = new JournalMirror(j.dir, head(j));
  got.length = 0;
  const r2 = new OutputRunner({ output, journal: again, cursors, logger: silentLogger, commitIntervalMs: 0 });
  r2.start();
  const end2 = Date.now() + 5000;
  while (got.length < 3 && Date.now() < end2) await new Promise((r) => setTimeout(r, 5));
  await r2.stop(1000);
  assert.deepEqual(got, [11, 12, 13]);
  j.close();
});

test('the entry cache is bounded in bytes too: big entries push the oldest out, a huge one is not kept', () => {
  const cache = new EntryCache(100, 4000);
  const entry = (seq: number): ReadEntry => ({ seq, alert: sshdAlert(), next: { segment: 1, offset: seq * 1000 } });
  for (let seq = 1; seq <= 5; seq++) cache.put(entry(seq), 1, (seq - 1) * 1000, 1000);
  assert.equal(cache.size, 4);
  assert.equal(cache.get(1, 1, 0), undefined);
  assert.equal(cache.get(5, 1, 4000)?.entry.seq, 5);
  cache.put(entry(6), 1, 5000, 2000); // over a quarter of the bound: not cached
  assert.equal(cache.get(6, 1, 5000), undefined);
  assert.equal(cache.size, 4);
});
