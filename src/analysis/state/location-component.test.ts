import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { locationComponent } from './location-component.js';

test('simple locations stay readable; everything else is percent-encoded, reversibly', () => {
  assert.equal(locationComponent('netstat'), 'netstat');
  assert.equal(locationComponent('df -P'), 'df%20-P');
  assert.equal(locationComponent('/var/log/auth.log'), '%2Fvar%2Flog%2Fauth.log');
  const awk = `awk '{print $1,$4}' "x" | sort: done\\`;
  const enc = locationComponent(awk);
  assert.match(enc, /^[A-Za-z0-9._%-]+$/);
  assert.equal(decodeURIComponent(enc), awk);
  assert.equal(decodeURIComponent(locationComponent('café ✓')), 'café ✓');
});

test('never ., .., a hidden name, our own file names, empty, or too long', () => {
  assert.equal(locationComponent('.'), '%2E');
  assert.equal(locationComponent('..'), '%2E.');
  assert.equal(locationComponent('.hidden'), '%2Ehidden');
  assert.equal(locationComponent('last-entry'), '%6Cast-entry');
  assert.equal(locationComponent('last-entry.location'), '%6Cast-entry.location');
  assert.equal(locationComponent(''), '%');
  const long = 'x'.repeat(300);
  const enc = locationComponent(long);
  assert.equal(enc.length, 100 + 1 + 32);
  assert.notEqual(locationComponent(long + 'y'), enc);
  // The cut never leaves half an escape.
  const spaces = locationComponent(' '.repeat(200));
  assert.match(spaces, /^(%20)+~[0-9a-f]{32}$/);
});
