import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { newEventInfo } from '../event-info.js';
import { addToSidList, Deque, EventList, historyEntry, type HistoryEntry } from './event-history.js';

function entry(sec: number): HistoryEntry {
  const ev = newEventInfo({ location: 'l', hostname: 'h', programName: undefined, log: `e${sec}`, fullLog: `e${sec}`, time: sec * 1000 });
  return historyEntry(ev, sec, null);
}

test('Deque: push, shift, read by age, remove, growth', () => {
  const d = new Deque<number>(4);
  for (let i = 1; i <= 10; i++) d.push(i);
  assert.equal(d.size, 10);
  assert.equal(d.fromNewest(0), 10);
  assert.equal(d.fromNewest(9), 1);
  assert.equal(d.shift(), 1);
  assert.equal(d.remove(5), true);
  assert.equal(d.remove(42), false);
  assert.deepEqual(Array.from({ length: d.size }, (_, i) => d.fromNewest(i)), [10, 9, 8, 7, 6, 4, 3, 2]);
  assert.equal(d.oldest(), 2);
});

test('sid lists keep the newest `max` events; the dropped one forgets its list', () => {
  const list = new Deque<HistoryEntry>();
  const es = [1, 2, 3].map(entry);
  for (const e of es) addToSidList(list, e, 2);
  assert.equal(list.size, 2);
  assert.equal(es[0].sidList, null);
  assert.equal(es[2].sidList, list);
});

test('EventList: holds maxSize+1, then drops at least 10 of the oldest, and more while older than maxFreq', () => {
  const l = new EventList(20, 5);
  for (let s = 0; s < 21; s++) l.add(entry(0));
  assert.equal(l.size, 21);
  l.add(entry(1));
  assert.equal(l.size, 12);
  // Time gap: everything older than maxFreq (5 s) before the new event goes too.
  const m = new EventList(20, 5);
  for (let s = 0; s < 21; s++) m.add(entry(s));
  m.add(entry(21));
  // 10 dropped (0-9), then 10-15 too, being more than 5 s older than 21.
  assert.equal(m.size, 6);
});

test('an event leaving the EventList leaves its sid list, or drops the oldest of each group list', () => {
  const sid = new Deque<HistoryEntry>();
  const g1 = new Deque<HistoryEntry>();
  const l = new EventList(1, 0);
  const a = entry(1);
  addToSidList(sid, a, 128);
  const b = entry(2);
  b.groupLists = [g1];
  g1.push(b);
  l.add(a);
  l.add(b);
  l.add(entry(3));
  assert.equal(sid.size, 0);
  assert.equal(g1.size, 0);
});

test('an entry keeps what searches read of its event, not the event: the field map is left to the collector', () => {
  const ev = newEventInfo({ location: 'l', hostname: 'h', programName: 'sshd', log: 'Failed password', fullLog: 'Dec 1 h sshd: Failed password', time: 5000 });
  ev.fields.set('srcip', '192.0.2.1');
  ev.fields.set('dstuser', 'root');
  ev.matched = 300;
  const e = historyEntry(ev, 5, null);
  assert.notEqual(e.ev as unknown, ev);
  assert.equal((e.ev as { fields?: unknown }).fields, undefined);
  assert.deepEqual(
    { hostname: e.ev.hostname, fullLog: e.ev.fullLog, log: e.ev.log, matched: e.ev.matched, srcip: e.srcip, dstuser: e.dstuser, entryMatched: e.matched },
    { hostname: 'h', fullLog: 'Dec 1 h sshd: Failed password', log: 'Failed password', matched: 300, srcip: '192.0.2.1', dstuser: 'root', entryMatched: 300 },
  );
});
