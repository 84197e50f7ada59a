import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ErrorCodes, OspatrolError } from '../../errors.js';
import { parseRuleFile } from './load.js';
import { rulesFrom, TEST_DECODER_IDS } from './test-support.js';

const opts = { decoderIdOf: (n: string) => TEST_DECODER_IDS.get(n) };

/** Loads `body` (rules inside a group, starting on line 2 of t0.xml) and expects a RULE_INVALID error. */
function expectError(body: string, line: number, element: string | undefined, text: RegExp | string): void {
  let err: unknown;
  try {
    rulesFrom(`<group name="g,">\n${body}\n</group>`);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof OspatrolError, `expected an OspatrolError, got ${String(err)}`);
  assert.equal(err.code, ErrorCodes.RULE_INVALID, err.message);
  assert.equal(err.position.file, 't0.xml', err.message);
  assert.equal(err.position.line, line, err.message);
  if (element !== undefined) assert.equal(err.position.element, element, err.message);
  if (typeof text === 'string') assert.ok(err.message.includes(text), err.message);
  else assert.match(err.message, text);
}

const base = '<rule id="100" level="0"><decoded_as>tst</decoded_as><description>b</description></rule>';

test('unknown elements are errors naming file, line, element and rule id (location, no_full_log are not 4.3.0 elements)', () => {
  expectError(`${base}\n<rule id="101" level="3">\n  <if_sid>100</if_sid>\n  <location>x</location>\n</rule>`, 5, 'location', 'rule 101: unknown element <location>');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><no_full_log/></rule>`, 2, 'no_full_log', 'rule 101');
  // same_id and friends are compared case-sensitively by OSSEC.
  expectError(`<rule id="101" level="3" frequency="2"><if_matched_sid>1</if_matched_sid><Same_ID/></rule>`, 2, 'Same_ID', 'unknown element');
});

test('attribute problems: unknown attribute, non-numeric values, missing id or level, bad overwrite', () => {
  expectError(`<rule id="101" level="3" severity="x"><match>a</match></rule>`, 2, 'rule', "invalid attribute 'severity'");
  expectError(`<rule id="10x" level="3"><match>a</match></rule>`, 2, 'rule', "invalid id '10x'");
  expectError(`<rule id="101"><match>a</match></rule>`, 2, 'rule', 'no rule id or level');
  expectError(`<rule id="" level="1"><match>a</match></rule>`, 2, 'rule', 'no rule id or level');
  expectError(`<rule id="101" level="1" overwrite="true"><match>a</match></rule>`, 2, 'rule', 'overwrite');
  expectError(`<rule id="101" level="1"></rule>`, 2, 'rule', 'has no option');
});

test('linking errors: unknown if_sid, duplicate id, overwrite of a missing rule, no root of the category', () => {
  expectError(`<rule id="101" level="3"><if_sid>999</if_sid><match>a</match></rule>`, 2, 'rule', 'rule 101: if_sid: rule id 999 not found');
  expectError(`${base}\n${base}`, 3, 'rule', 'rule 100: duplicate rule id');
  expectError(`<rule id="101" level="3" overwrite="yes"><match>a</match></rule>`, 2, 'rule', 'no loaded rule has this id');
  expectError(`<rule id="101" level="3"><category>squid</category><match>a</match></rule>`, 2, 'rule', "no root rule of category 'squid'");
  expectError(`<rule id="101" level="3"><if_group>nothing_like_this</if_group></rule>`, 2, 'rule', "if_group");
  expectError(`<rule id="101" level="3"><if_sid>1, x</if_sid></rule>`, 2, 'rule', 'not a list of rule ids');
});

test('value errors: decoder, category (case-sensitive), ip, time, weekday with !, options, info type, list', () => {
  expectError(`<rule id="101" level="3"><decoded_as>nope</decoded_as></rule>`, 2, 'decoded_as', "unknown decoder 'nope'");
  expectError(`<rule id="101" level="3"><category>Syslog</category></rule>`, 2, 'category', "invalid category 'Syslog'");
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid>\n<srcip>10.0.0.0/33</srcip></rule>`, 3, 'srcip', "invalid ip address '10.0.0.0/33'");
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><srcip>ANY</srcip></rule>`, 2, 'srcip', 'invalid ip');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><time>25:00 - 26:00</time></rule>`, 2, 'time', 'invalid time');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><weekday>!weekends</weekday></rule>`, 2, 'weekday', 'invalid weekday');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><options>no_full_log</options></rule>`, 2, 'options', "invalid option 'no_full_log'");
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><options>alert_by_email,no_log</options></rule>`, 2, 'options', 'invalid option');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><info type="url">x</info></rule>`, 2, 'info', 'type=');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><list lookup="match_key">lists/x</list></rule>`, 2, 'list', 'field');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><list field="user" lookup="match_key_value">lists/x</list></rule>`, 2, 'list', 'check_value');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><compiled_rule>nope</compiled_rule></rule>`, 2, 'compiled_rule', 'not found');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><ignore>everything</ignore></rule>`, 2, 'ignore', 'wrong ignore option');
});

test('pattern errors carry the element and line; frequency or same_* need a context element', () => {
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid>\n\n<regex>a\\nb</regex></rule>`, 4, 'regex', /rule 101: pattern 'a\\nb' does not compile/);
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><pcre2></pcre2></rule>`, 2, 'pcre2', 'does not compile');
  expectError(`<rule id="101" level="3" frequency="4"><if_sid>1</if_sid></rule>`, 2, 'rule', 'need a context element');
  expectError(`<rule id="101" level="3"><if_sid>1</if_sid><same_source_ip/></rule>`, 2, 'rule', 'need a context element');
});

test('file structure errors: root elements, group attributes, rules inside groups', () => {
  assert.throws(() => parseRuleFile('<rule id="1" level="0"><match>a</match></rule>', 'x.xml', opts), /x\.xml:1: <rule>: invalid root element/);
  assert.throws(() => parseRuleFile('<group name="a" other="b"><rule id="1" level="0"><match>a</match></rule></group>', 'x.xml', opts), /exactly one attribute/);
  assert.throws(() => parseRuleFile('<group name="a">\n</group>', 'x.xml', opts), /has no rule/);
  assert.throws(() => parseRuleFile('<group name="a">\n<decoder name="b"/></group>', 'x.xml', opts), /x\.xml:2: <decoder>: only <rule>/);
  assert.throws(() => parseRuleFile('<var name="A">x</var><group name="a"><rule id="1" level="0"><match>$BAD</match></rule></group>', 'x.xml', opts), /unknown variable \$BAD/);
});

test('RuleConfig keeps what the file says', () => {
  const [r] = parseRuleFile(
    `<var name="USERS">^root$|^admin$</var>
<group name="auth,">
  <rule id="5001" level="10" frequency="4" timeframe="90" ignore="60" maxsize="100">
    <if_matched_sid>5000</if_matched_sid>
    <user>$USERS</user>
    <same_source_ip/><same_user/><not_same_user/>
    <srcip>!10.0.0.0/8</srcip>
    <time>6 pm - 8:30 am</time>
    <weekday>weekends, mon</weekday>
    <options>alert_by_email</options>
    <info type="cve">2024-1</info>
    <list field="srcip" lookup="address_match_key">lists/bad</list>
    <description>d</description>
  </rule>
</group>`,
    'r.xml',
    opts,
  );
  assert.equal(r.id, 5001);
  assert.equal(r.ifSid, '5000');
  assert.equal(r.ifMatchedSid, 5000);
  assert.equal(r.context, true);
  assert.equal(r.contextOpts, 0x002);
  assert.equal(r.patterns.user?.text, '^root$|^admin$');
  assert.deepEqual(r.time, { from: '08:30', to: '18:00', negate: true });
  assert.deepEqual(r.weekdays, [true, true, false, false, false, false, true]);
  assert.deepEqual(r.options, ['alert_by_email']);
  assert.deepEqual(r.lists, [{ field: 'srcip', lookup: 'address_match_key', checkValue: undefined, name: 'lists/bad', line: 12 }]);
  assert.equal(r.timeframe, 90);
  assert.equal(r.ignoreTime, 60);
  assert.equal(r.maxsize, 100);
});
