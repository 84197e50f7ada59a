process.env.TZ = 'America/New_York';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOssecTime, localDay, localDayBounds } from './local-time.js';

test('day bounds follow the calendar, so DST days last 23 and 25 hours', () => {
  const spring = localDayBounds(Date.UTC(2026, 2, 8, 12)); // 2026-03-08, clocks go forward in New York
  assert.equal(spring.end - spring.start, 23 * 3600_000);
  const autumn = localDayBounds(Date.UTC(2026, 10, 1, 12)); // 2026-11-01, clocks go back
  assert.equal(autumn.end - autumn.start, 25 * 3600_000);
  assert.deepEqual(localDay(autumn.end), { year: 2026, month: 10, day: 2 });
  assert.deepEqual(localDay(autumn.end - 1), { year: 2026, month: 10, day: 1 });
});

test('OSSEC date line in local time with English month and zero-padded day', () => {
  assert.equal(formatOssecTime(Date.UTC(2026, 0, 2, 3, 4, 5)), '2026 Jan 01 22:04:05');
});

test('non-finite timestamps are refused', () => {
  assert.throws(() => localDay(Number.NaN), RangeError);
  assert.throws(() => formatOssecTime(undefined as unknown as number), RangeError);
});

test('the date line of each second, whatever the order the times come in (the last second is kept)', () => {
  const t = Date.UTC(2026, 0, 2, 3, 4, 5);
  assert.equal(formatOssecTime(t), '2026 Jan 01 22:04:05');
  assert.equal(formatOssecTime(t + 999), '2026 Jan 01 22:04:05');
  assert.equal(formatOssecTime(t + 1000), '2026 Jan 01 22:04:06');
  assert.equal(formatOssecTime(t - 1), '2026 Jan 01 22:04:04');
  assert.equal(formatOssecTime(t + 5), '2026 Jan 01 22:04:05');
  assert.throws(() => formatOssecTime(NaN), RangeError);
  assert.throws(() => formatOssecTime(String(t + 5) as unknown as number), RangeError);
});

test('a change of TZ at run time is followed, within the same second too', () => {
  const saved = process.env.TZ;
  try {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5);
    process.env.TZ = 'UTC';
    assert.equal(formatOssecTime(t), '2026 Jan 02 03:04:05');
    process.env.TZ = 'Asia/Kolkata';
    assert.equal(formatOssecTime(t), '2026 Jan 02 08:34:05');
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
