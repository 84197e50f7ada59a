import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isOnTime, parseTimeRange, parseWeekdays } from './time-window.js';

test('time ranges: 24 h and am/pm forms, both ends included, ! negates', () => {
  assert.deepEqual(parseTimeRange('8:30 am - 6 pm'), { from: '08:30', to: '18:00', negate: false });
  assert.deepEqual(parseTimeRange('! 09:00-17:00'), { from: '09:00', to: '17:00', negate: true });
  assert.deepEqual(parseTimeRange('  12 am - 12:30'), { from: '12:00', to: '12:30', negate: false });
  const r = parseTimeRange('9 - 17')!;
  assert.equal(isOnTime(r, '09:00'), true);
  assert.equal(isOnTime(r, '17:00'), true);
  assert.equal(isOnTime(r, '17:01'), false);
});

test('a range past midnight becomes "not between end and start": ends exclusive, a written ! lost', () => {
  const r = parseTimeRange('6 pm - 8:30 am')!;
  assert.deepEqual(r, { from: '08:30', to: '18:00', negate: true });
  assert.equal(isOnTime(r, '18:00'), false);
  assert.equal(isOnTime(r, '18:01'), true);
  assert.equal(isOnTime(r, '03:00'), true);
  assert.equal(isOnTime(r, '08:30'), false);
  assert.deepEqual(parseTimeRange('!22:00 - 02:00'), parseTimeRange('22:00 - 02:00'));
});

test('invalid times', () => {
  for (const bad of ['24 - 25', '12 pm - 1', '100 - 2', '9', '9 -- 10', '9 - 10 x', '9 xm - 10', 'x - 10']) {
    assert.equal(parseTimeRange(bad), undefined, bad);
  }
  // __gethour only logs a missing digit: an empty end reads as 00:00 (then wraps past midnight).
  assert.deepEqual(parseTimeRange('9 - '), { from: '00:00', to: '09:00', negate: true });
});

test('weekdays: names, abbreviations, weekdays/weekends, case-insensitive; ! and unknown words refused', () => {
  assert.deepEqual(parseWeekdays('Monday,wed , sat'), [false, true, false, true, false, false, true]);
  assert.deepEqual(parseWeekdays('weekdays'), [false, true, true, true, true, true, false]);
  assert.deepEqual(parseWeekdays('weekends'), [true, false, false, false, false, false, true]);
  assert.equal(parseWeekdays('!weekends'), undefined);
  assert.equal(parseWeekdays('tues'), undefined);
  assert.equal(parseWeekdays(''), undefined);
});
