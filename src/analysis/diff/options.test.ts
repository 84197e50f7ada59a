import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OspatrolError } from '../../errors.js';
import { rulesFrom } from '../rules/test-support.js';
import { OSSEC_DIFF_SPEC } from './spec.js';

const rule = (checkDiff: string, extra = ''): string => `<group name="t,">
  <rule id="100" level="5"><match>x</match><description>base</description></rule>
  <rule id="101" level="7"><if_sid>100</if_sid>${checkDiff}${extra}<description>diff</description></rule>
</group>`;

function specOf(checkDiff: string, extra = '') {
  return rulesFrom(rule(checkDiff, extra), { logAlertLevel: 1, emailAlertLevel: 7 }).byId.get(101)!.diffSpec;
}

function loadError(checkDiff: string): string {
  try {
    rulesFrom(rule(checkDiff));
  } catch (e) {
    assert.ok(e instanceof OspatrolError, String(e));
    return e.message;
  }
  assert.fail('expected a load error');
}

test('a plain <check_diff /> is OSSEC: exact text, no flapping, silent baseline', () => {
  assert.equal(specOf('<check_diff />'), OSSEC_DIFF_SPEC);
  assert.equal(specOf('<check_diff></check_diff>'), OSSEC_DIFF_SPEC);
  assert.equal(OSSEC_DIFF_SPEC.exact, true);
  // Without check_diff there is no spec at all.
  assert.equal(rulesFrom(rule('')).byId.get(101)!.diffSpec, null);
});

test('attributes and <mask> children are read and compiled', () => {
  const s = specOf(`<check_diff mode="SET" ignore_whitespace="yes" mask="pid=\\d+" flapping="3" baseline_level="3">
      <mask replace="\\1 q">^(tcp)\\s+\\d+</mask>
    </check_diff>`)!;
  assert.equal(s.mode, 'set');
  assert.equal(s.ignoreWhitespace, true);
  assert.equal(s.flapping, 3);
  assert.equal(s.baselineLevel, 3);
  assert.equal(s.exact, false);
  assert.deepEqual(s.masks.map((m) => [m.pattern, m.groups, m.replace]), [
    ['pid=\\d+', 0, ['#']],
    ['^(tcp)\\s+\\d+', 1, [1, ' q']],
  ]);
  assert.equal(s.description, 'as a set of lines, ignoring whitespace, 2 masks');
  // Level 3 is at or above log_alert_level 1 and below email_alert_level 7.
  assert.deepEqual([s.baselineLog, s.baselineMail], [true, false]);
});

test('baseline flags follow the rule options; repeated <check_diff> elements merge', () => {
  const s = specOf('<check_diff baseline_level="8" />', '<options>no_log</options><options>no_email_alert</options>')!;
  assert.deepEqual([s.baselineLevel, s.baselineLog, s.baselineMail], [8, false, false]);
  const m = specOf('<check_diff mode="lines" mask="a+" />', '<check_diff ignore_whitespace="yes" mask="b+" /><check_diff />')!;
  assert.deepEqual([m.mode, m.ignoreWhitespace, m.masks.map((x) => x.pattern)], ['lines', true, ['a+', 'b+']]);
});

test('overwrite="yes" carries the check_diff options', () => {
  const rs = rulesFrom(`<group name="t,">
  <rule id="100" level="5"><match>x</match><description>base</description></rule>
  <rule id="101" level="7"><if_sid>100</if_sid><check_diff /><description>diff</description></rule>
  <rule id="101" level="9" overwrite="yes"><if_sid>100</if_sid><check_diff mode="multiset" /><description>diff 2</description></rule>
</group>`);
  assert.equal(rs.byId.get(101)!.diffSpec!.mode, 'multiset');
});

test('mistakes are load errors that name the file, line and reason', () => {
  assert.match(loadError('<check_diff mode="sorted" />'), /t0\.xml:3: .*mode must be one of text, lines, set, multiset/);
  assert.match(loadError('<check_diff order="set" />'), /no attribute 'order'/);
  assert.match(loadError('<check_diff ignore_whitespace="1" />'), /must be yes or no/);
  assert.match(loadError('<check_diff flapping="0" />'), /flapping="0".*from 1 to 1000/);
  assert.match(loadError('<check_diff baseline_level="17" />'), /from 0 to 16/);
  assert.match(loadError('<check_diff><sort/></check_diff>'), /only contain <mask>/);
  assert.match(loadError('<check_diff mask="(" />'), /mask '\(' does not compile/);
  assert.match(loadError('<check_diff mask="\\d*" />'), /matches the empty string/);
  assert.match(loadError('<check_diff><mask replace="\\2">(a)b</mask></check_diff>'), /uses group \\2, but '\(a\)b' has 1 group/);
  assert.match(loadError('<check_diff><mask></mask></check_diff>'), /pattern is empty/);
  assert.match(loadError('<check_diff><mask  flags="i">a</mask></check_diff>'), /no attribute 'flags'/);
});
