import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRuleTests } from './ini.js';

test('reads sections the way Python 2 ConfigParser did', () => {
  const s = parseRuleTests(
    `# comment
[first]
log 1 pass = Jan  1 00:00:00 host sshd[1]: a ; b
log 1 pass = Jan  1 00:00:00 host sshd[1]: replaced;kept
LOG 2 FAIL = x  %%ASA-1
rule = 5716
alert = 5
decoder = sshd

[second]
log 1 pass = y
  continued
rule = 1
`,
    't.ini',
  );
  assert.equal(s.length, 2);
  assert.equal(s[0].rule, '5716');
  assert.equal(s[0].level, '5');
  assert.equal(s[0].decoder, 'sshd');
  assert.deepEqual(
    s[0].cases.map((c) => [c.expectMatch, c.log]),
    [
      [true, 'Jan  1 00:00:00 host sshd[1]: replaced;kept'],
      [false, 'x  %ASA-1'],
    ],
  );
  assert.equal(s[1].cases[0].log, 'y\ncontinued');
});
