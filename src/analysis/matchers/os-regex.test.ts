import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PatternError } from '../../errors.js';
import { compileOsRegex } from './os-regex.js';

const exec = (p: string, s: string) => compileOsRegex(p).exec(s);
const caps = (p: string, s: string) => exec(p, s)?.captures ?? null;

test('4.2 converted examples (verified against OSSEC)', () => {
  assert.deepEqual(exec('\\w+ (\\d+) \\S+$', 'abc 123 xyz'), { end: 11, captures: ['123'] });
  assert.deepEqual(caps('(\\w+)\\s+(\\d+)', 'foo   123'), ['foo', '123']);
  assert.deepEqual(exec('\\d+(\\d)', '12345'), { end: 2, captures: ['2'] });
  assert.deepEqual(caps('(\\d+)(\\d+)', '12345'), ['1', '2345']);
  assert.deepEqual(caps('from (\\S+) port (\\d+)', 'Failed password for root from 1.2.3.4 port 22 ssh2'), ['1.2.3.4', '22']);
  assert.deepEqual(caps('(a)|(b)', 'b'), ['b']);
});

test('+ and * are quantifiers only directly after a 2-char escape (purely positional)', () => {
  assert.equal(exec('a+b', 'aab'), null);
  assert.deepEqual(exec('a+b', 'a+b'), { end: 3, captures: [] });
  assert.deepEqual(caps('(\\d)+', '12+'), ['2']);
  assert.equal(exec('(\\d)+', '123'), null);
  // `\\d+`: escaped backslash, then `d+` quantifies the literal d.
  assert.deepEqual(exec('\\\\d+', 'x\\ddd1'), { end: 5, captures: [] });
  assert.deepEqual(caps('(\\w+)+', 'abc+ def'), ['abc']);
});

test('last quantifier of each alternative is greedy, the others lazy', () => {
  assert.deepEqual(caps('(\\w+)', 'user@host-name_1?x'), ['user@host-name_1']);
  assert.deepEqual(caps('(\\.+)x', 'aaxbbx'), ['aa']);
  assert.deepEqual(caps('(\\.*)', 'anything here'), ['anything here']);
  assert.deepEqual(exec('\\w+|\\d+', 'ab12 x'), { end: 4, captures: [] });
  assert.deepEqual(exec('\\.*x', 'abxcdx'), { end: 3, captures: [] });
  assert.deepEqual(exec('x\\.*', 'abxcdx'), { end: 6, captures: [] });
  // followed by $: stays lazy, which makes no difference once anchored
  assert.deepEqual(caps('(\\S+)$', 'a b c'), ['c']);
});

test('classes: \\w has @ _ -, \\s is a space only, \\p is the 26 punctuation chars', () => {
  assert.deepEqual(caps('(\\p+)', 'ab!"#$%&()*+,-./:;=>?[]^_`{|}~cd'), ['!"#$%&()*+,-.']);
  assert.equal(exec('\\p', 'a@b'), null);
  assert.equal(exec('\\s', 'a\tb'), null);
  assert.deepEqual(caps('(\\W+)(\\w+)', '!!abc'), ['!!', 'abc']);
  assert.deepEqual(caps('(\\D+)(\\d+)', 'abc123'), ['abc', '123']);
  assert.deepEqual(exec('\\.', '\n'), { end: 1, captures: [] }); // \. includes newline
});

test('literal specials and allowed escapes', () => {
  assert.equal(exec('a.b', 'axb'), null);
  assert.deepEqual(exec('a.b', 'a.b'), { end: 3, captures: [] });
  assert.deepEqual(caps('([a-z]+)', '[a-z]+'), ['[a-z]+']);
  assert.deepEqual(caps('(a{2})', 'a{2}'), ['a{2}']);
  assert.deepEqual(caps('(a?b)', 'a?b'), ['a?b']);
  assert.deepEqual(caps('\\((\\d+)\\)', 'pid (123) x'), ['123']);
  assert.deepEqual(caps('\\$(\\d+)', 'cost $100'), ['100']);
  assert.deepEqual(caps('(a\\|b)', 'xa|b'), ['a|b']);
  assert.deepEqual(exec('\\<b', 'a<b'), { end: 3, captures: [] });
  assert.deepEqual(exec('\\t', 'a\tb'), { end: 2, captures: [] });
  assert.deepEqual(caps('\\\\(\\w+)', 'C:\\Windows\\system32'), ['Windows']);
});

test('$ is end of subject anywhere', () => {
  assert.equal(exec('a$b', 'a$b'), null);
  assert.deepEqual(exec('abc$', 'xxABC'), { end: 5, captures: [] });
});

test('case-insensitive everywhere', () => {
  assert.deepEqual(caps('user (\\S+) from (\\S+)', 'USER Bob FROM x'), ['Bob', 'x']);
  assert.deepEqual(exec('^abc', 'ABCdef'), { end: 3, captures: [] });
  assert.deepEqual(exec('^abc$', 'ABC'), { end: 3, captures: [] });
  assert.deepEqual(caps('(é)(\\w+)', 'ÉABC'), ['É', 'ABC']);
  // `+` after a non-escape is literal, whatever the char (verified: no match on either case)
  assert.equal(exec('(é+)(\\w+)', 'éabc'), null);
});

test('unset groups are packed away, empty ones kept', () => {
  assert.equal(exec('(a)(b)?(c)', 'ac'), null); // `?` is literal
  assert.deepEqual(caps('(a)|(b)|(c)', 'xc'), ['c']);
  assert.deepEqual(caps('(x)|(b)(\\d*)', 'b'), ['b', '']);
  assert.deepEqual(caps('(\\d+)\\s*(\\w*)', '42'), ['4', '2']); // lazy \\d+ (verified)
  assert.deepEqual(caps('(\\w+) (\\w+)|(\\d+)', '123'), ['123']);
});

test('nested groups compile (PCRE2 allows them)', () => {
  assert.deepEqual(caps('((\\w+))', 'abc def'), ['abc', 'abc']);
});

test('compile errors', () => {
  for (const p of ['', '\\n', '\\(test)', 'a\\', '(a', 'a)', '\\>', '\\-', '\\/', '\\:', '\\\\(+', '\\\\^+', '\\\\$+']) {
    assert.throws(() => compileOsRegex(p), PatternError, p);
  }
  // 2048 characters is the limit (verified: 2049 gives OS_REGEX_MAXSIZE)
  assert.doesNotThrow(() => compileOsRegex('ab'.repeat(1024)));
  assert.throws(() => compileOsRegex('x' + 'ab'.repeat(1024)), PatternError);
});

test('`\\\\)+` quantifies the group (verified)', () => {
  assert.doesNotThrow(() => compileOsRegex('(a\\\\)+'));
});
