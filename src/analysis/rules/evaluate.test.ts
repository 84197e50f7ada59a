import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ListStore } from '../state/lists.js';
import { RuleEngine } from './evaluate.js';
import { event, rulesFrom } from './test-support.js';

const BASE = `<rule id="100" level="0"><decoded_as>tst</decoded_as><description>tst base</description></rule>`;

test('the first matching path wins; noalert parents fall through to the next sibling; level 0 gives no alert', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="110" level="5" noalert="1"><if_sid>100</if_sid><match>foo</match><description>grouping</description></rule>
  <rule id="111" level="9"><if_sid>110</if_sid><match>bar</match><description>foo bar</description></rule>
  <rule id="120" level="3"><if_sid>100</if_sid><match>foo</match><description>plain foo</description></rule>
  <rule id="130" level="0"><if_sid>100</if_sid><match>quiet</match><description>ignore quiet</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const run = (log: string) => engine.evaluate(event({ log, decoder: 'tst' }));
  assert.equal(run('foo bar')?.id, 111);
  assert.equal(run('foo')?.id, 120);
  const q = run('quiet foo')!;
  // 130 (level 0, sorted first) wins over 110/120 and suppresses the event.
  assert.deepEqual([q.id, q.level, q.alert, q.suppressed, q.log], [130, 0, false, 'level-0', false]);
  const b = run('nothing')!;
  assert.deepEqual([b.id, b.alert], [100, false]);
  // Another decoder's events never reach 100's subtree; no rule at all gives null.
  assert.equal(engine.evaluate(event({ log: 'foo', decoder: 'web' })), null);
  // An event no decoder matched is syslog-typed (OSSEC's NULL decoder) and still meets root 1.
  assert.equal(engine.evaluate(event({ log: 'foo' })), null);
  assert.equal(rs.byId.get(120)!.firedtimes, 1);
});

test('filters: program_name needs one, user is dstuser then srcuser, action is exact, url and url_pcre2 both apply, maxsize counts bytes', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="201" level="3"><if_sid>100</if_sid><program_name>^sshd$</program_name><description>p</description></rule>
  <rule id="202" level="3"><if_sid>100</if_sid><user>^root$</user><description>u</description></rule>
  <rule id="203" level="3"><if_sid>100</if_sid><action>DROP</action><description>a</description></rule>
  <rule id="204" level="3"><if_sid>100</if_sid><url>/admin</url><url_pcre2>\\.php$</url_pcre2><description>url</description></rule>
  <rule id="205" level="3"><if_sid>100</if_sid><match>big</match><regex>^big</regex><match_pcre2>never</match_pcre2><description>os form wins</description></rule>
  <rule id="206" level="2" maxsize="6"><if_sid>100</if_sid><match>size</match><description>size</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const id = (e: Parameters<typeof event>[0]) => engine.evaluate(event({ decoder: 'tst', ...e }))?.id;
  assert.equal(id({ log: 'x', programName: 'SSHD' }), 201);
  assert.equal(id({ log: 'x' }), 100);
  assert.equal(id({ log: 'x', fields: { dstuser: 'root', srcuser: 'bob' } }), 202);
  assert.equal(id({ log: 'x', fields: { dstuser: 'bob', srcuser: 'root' } }), 100);
  assert.equal(id({ log: 'x', fields: { srcuser: 'root' } }), 202);
  assert.equal(id({ log: 'x', fields: { action: 'DROP' } }), 203);
  assert.equal(id({ log: 'x', fields: { action: 'drop' } }), 100);
  assert.equal(id({ log: 'x', fields: { url: '/admin/x.php' } }), 204);
  assert.equal(id({ log: 'x', fields: { url: '/admin/x.html' } }), 100);
  assert.equal(id({ log: 'BIG one' }), 205);
  assert.equal(id({ log: 'size' }), 100);
  assert.equal(id({ log: 'size!!' }), 206);
  assert.equal(id({ log: 'sizeé' }), 206);
});

test('frequency with if_matched_sid fires on event frequency+2, prints frequency+1 earlier full_logs newest first, then starts over', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="300" level="5"><if_sid>100</if_sid><match>fail</match><description>fail</description></rule>
  <rule id="301" level="10" frequency="3" timeframe="60"><if_matched_sid>300</if_matched_sid><same_source_ip/><description>many</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const got: Array<number | undefined> = [];
  let ctx: readonly string[] = [];
  for (let i = 1; i <= 10; i++) {
    // Interleaved events from another address are skipped, not counted.
    if (i === 2 || i === 7) engine.evaluate(event({ log: `fail other ${i}`, decoder: 'tst', fields: { srcip: '9.9.9.9' }, time: 1000 + i }));
    const m = engine.evaluate(event({ log: `fail ${i}`, decoder: 'tst', fields: { srcip: '1.1.1.1' }, time: 1000 + i }))!;
    got.push(m.id);
    if (i === 5) ctx = m.context;
  }
  assert.deepEqual(got, [300, 300, 300, 300, 301, 300, 300, 300, 300, 301]);
  assert.deepEqual(ctx, ['full fail 4', 'full fail 3', 'full fail 2', 'full fail 1']);
});

test('frequency quirk kept: a firing for one source marks the newest event of the list, whatever its source', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="300" level="5"><if_sid>100</if_sid><match>fail</match><description>fail</description></rule>
  <rule id="301" level="10" frequency="0" timeframe="60"><if_matched_sid>300</if_matched_sid><same_source_ip/><description>two</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const ev = (ip: string, t: number) => engine.evaluate(event({ log: 'fail', decoder: 'tst', fields: { srcip: ip }, time: t }))!.id;
  assert.deepEqual([ev('1.1.1.1', 1), ev('2.2.2.2', 2), ev('1.1.1.1', 3)], [300, 300, 301]);
  // That firing marked the newest list entry (2.2.2.2's), so 2.2.2.2's second event finds its first
  // one already used and only the third fires.
  assert.deepEqual([ev('2.2.2.2', 4), ev('2.2.2.2', 5)], [300, 301]);
});

test('frequency: the timeframe ends the search at the first older event', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="300" level="5"><if_sid>100</if_sid><match>fail</match><description>fail</description></rule>
  <rule id="301" level="10" frequency="2" timeframe="30"><if_matched_sid>300</if_matched_sid><description>many</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const at = (t: number) => engine.evaluate(event({ log: 'fail', decoder: 'tst', time: t }))!.id;
  assert.deepEqual([at(0), at(10), at(45), at(50)], [300, 300, 300, 300]);
  // At 60 the events of 45 and 50 are inside 30 s but 10 is not (60 - 10 > 30): two, not three.
  assert.equal(at(60), 300);
  assert.equal(at(61), 301);
});

test('if_matched_group (Search_LastGroups) and a context rule with only if_matched_regex (Search_LastEvents)', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="400" level="4"><if_sid>100</if_sid><match>denied</match><group>access_denied,</group><description>denied</description></rule>
  <rule id="401" level="6"><if_sid>100</if_sid><match>refused</match><group>access_denied,</group><description>refused</description></rule>
  <rule id="410" level="11" frequency="2" timeframe="100"><if_matched_group>access_denied</if_matched_group><same_user/><description>many denials</description></rule>
  <rule id="420" level="3"><if_sid>100</if_sid><match>login ok</match><description>login</description></rule>
  <rule id="421" level="12" timeframe="100"><if_sid>420</if_sid><if_matched_regex>^denied</if_matched_regex><description>login after denial</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const u = { dstuser: 'bob' };
  const ids = ['denied a', 'refused b', 'refused c', 'denied d'].map((log, i) => engine.evaluate(event({ log, decoder: 'tst', fields: u, time: 10 + i }))!.id);
  // 410 is linked by group under 400 and 401 (if_group defaults to the pattern); frequency 2 → 4th event.
  assert.deepEqual(ids, [400, 401, 401, 410]);
  const ok = engine.evaluate(event({ log: 'login ok', decoder: 'tst', time: 20 }))!;
  // 421's search needs one earlier event (frequency 0) whose log starts with "denied": the first one.
  assert.equal(ok.id, 421);
});

test('ignore="N": one timer per rule; suppressed wins are dropped entirely (analysisd and logtest differ after the window)', () => {
  const xml = `<group name="g,">${BASE}
  <rule id="500" level="7" ignore="100"><if_sid>100</if_sid><match>disk</match><description>disk full</description></rule>
</group>`;
  const seq = (logtest: boolean) => {
    const engine = new RuleEngine(rulesFrom(xml), { logtest });
    return [0, 50, 100, 101, 150].map((t) => {
      const m = engine.evaluate(event({ log: `disk ${t}`, decoder: 'tst', time: 1000 + t }))!;
      return m.alert ? 'alert' : m.suppressed;
    });
  };
  assert.deepEqual(seq(false), ['alert', 'ignore-time', 'alert', 'ignore-time', 'ignore-time']);
  assert.deepEqual(seq(true), ['alert', 'ignore-time', 'alert', 'alert', 'ignore-time']);
});

test('srcip lists in rules: negation, and an event value that is not an address fails even a negated list', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="600" level="3"><if_sid>100</if_sid><srcip>!10.0.0.0/8</srcip><srcip>!192.168.0.0/16</srcip><description>outside</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const id = (ip: string) => engine.evaluate(event({ log: 'x', decoder: 'tst', fields: { srcip: ip } }))!.id;
  assert.equal(id('8.8.8.8'), 600);
  assert.equal(id('10.1.2.3'), 100);
  assert.equal(id('192.168.1.1'), 100);
  assert.equal(id('not-an-ip'), 100);
  assert.equal(id('::ffff:8.8.8.8'), 600);
});

test('<time> across midnight excludes both ends; <weekday> uses the local receive day', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="700" level="3"><if_sid>100</if_sid><match>t</match><time>10 pm - 2 am</time><description>night</description></rule>
  <rule id="701" level="3"><if_sid>100</if_sid><match>w</match><weekday>sunday</weekday><description>sunday</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const at = (log: string, d: Date) => engine.evaluate(event({ log, decoder: 'tst', time: d.getTime() / 1000 }))!.id;
  assert.equal(at('t', new Date(2026, 0, 5, 23, 0)), 700);
  assert.equal(at('t', new Date(2026, 0, 5, 1, 59)), 700);
  assert.equal(at('t', new Date(2026, 0, 5, 22, 0)), 100);
  assert.equal(at('t', new Date(2026, 0, 5, 2, 0)), 100);
  assert.equal(at('t', new Date(2026, 0, 5, 12, 0)), 100);
  assert.equal(at('w', new Date(2026, 0, 4, 12, 0)), 701);
  assert.equal(at('w', new Date(2026, 0, 5, 12, 0)), 100);
});

test('<list> lookups: match_key, not_match_key, match_key_value, address_match_key prefixes, inverted address_match_key_value', () => {
  const lists = new ListStore();
  lists.addText('lists/users', '/x/users', 'root:admin\nbob:\n');
  lists.addText('lists/nets', '/x/nets', '10.1.:internal\n192.168.1.7:printer ### a comment\n');
  const rs = rulesFrom(
    `<group name="g,">${BASE}
  <rule id="800" level="3"><if_sid>100</if_sid><match>a</match><list field="user" lookup="match_key">lists/users</list><description>known user</description></rule>
  <rule id="801" level="3"><if_sid>100</if_sid><match>b</match><list field="user" lookup="not_match_key">lists/users.cdb</list><description>unknown user</description></rule>
  <rule id="802" level="3"><if_sid>100</if_sid><match>c</match><list field="user" lookup="match_key_value" check_value="^admin$">lists/users</list><description>admin</description></rule>
  <rule id="803" level="3"><if_sid>100</if_sid><match>d</match><list field="srcip" lookup="address_match_key">lists/nets</list><description>listed net</description></rule>
  <rule id="804" level="3"><if_sid>100</if_sid><match>e</match><list field="srcip" lookup="address_match_key_value" check_value="internal">lists/nets</list><description>inverted</description></rule>
  <rule id="805" level="3"><if_sid>100</if_sid><match>f</match><list field="srcip" lookup="not_match_key">lists/missing</list><description>unknown list</description></rule>
</group>`,
    { lists },
  );
  assert.equal(rs.warnings.length, 1);
  const engine = new RuleEngine(rs);
  const id = (log: string, fields: Record<string, string>) => engine.evaluate(event({ log, decoder: 'tst', fields }))!.id;
  // The user field is srcuser first, then dstuser.
  assert.equal(id('a', { srcuser: 'bob', dstuser: 'eve' }), 800);
  assert.equal(id('a', { srcuser: 'eve', dstuser: 'bob' }), 100);
  assert.equal(id('b', { dstuser: 'eve' }), 801);
  assert.equal(id('b', {}), 100);
  assert.equal(id('c', { srcuser: 'root' }), 802);
  assert.equal(id('c', { srcuser: 'bob' }), 100);
  assert.equal(id('d', { srcip: '10.1.77.3' }), 803);
  assert.equal(id('d', { srcip: '192.168.1.7' }), 803);
  assert.equal(id('d', { srcip: '10.2.0.1' }), 100);
  assert.equal(id('e', { srcip: '10.1.2.3' }), 100);
  assert.equal(id('e', { srcip: '192.168.1.7' }), 804);
  assert.equal(id('e', { srcip: '8.8.8.8' }), 804);
  assert.equal(id('f', { srcip: '8.8.8.8' }), 100);
});

test('<ignore> adds the event key; <check_if_ignored> then drops matching events', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="900" level="8"><if_sid>100</if_sid><match>attack</match><ignore>srcip, id</ignore><description>attack</description></rule>
  <rule id="901" level="6"><if_sid>100</if_sid><match>scan</match><check_if_ignored>srcip, id</check_if_ignored><description>scan</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const ev = (log: string, ip: string) => engine.evaluate(event({ log, decoder: 'tst', fields: { srcip: ip, id: '42' } }))!;
  assert.equal(ev('scan', '1.2.3.4').alert, true);
  assert.equal(ev('attack', '1.2.3.4').alert, true);
  const again = ev('scan', '1.2.3.4');
  assert.deepEqual([again.id, again.alert, again.suppressed], [901, false, 'ignored']);
  assert.equal(ev('scan', '5.6.7.8').alert, true);
});

test('-v trace lines are the ones ossec-logtest prints', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="120" level="3"><if_sid>100</if_sid><match>foo</match><description>plain foo</description></rule>
</group>`);
  const lines: string[] = [];
  new RuleEngine(rs).evaluate(event({ log: 'foo', decoder: 'tst' }), { trace: (l) => lines.push(l) });
  assert.deepEqual(lines, [
    '    Trying rule: 1 - root syslog',
    '       *Rule 1 matched.',
    '       *Trying child rules.',
    '    Trying rule: 100 - tst base',
    '       *Rule 100 matched.',
    '       *Trying child rules.',
    '    Trying rule: 120 - plain foo',
    '       *Rule 120 matched.',
  ]);
});

test('forwarded OSSEC alerts use the named rule without walking the tree', () => {
  const rs = rulesFrom(`<group name="g,">${BASE}
  <rule id="120" level="3"><if_sid>100</if_sid><match>foo</match><description>plain foo</description></rule>
</group>`);
  const engine = new RuleEngine(rs);
  const ev = event({ log: 'anything', decoder: 'tst', type: 'ossec-alert' });
  assert.equal(engine.evaluate(ev), null);
  assert.equal(engine.evaluate(ev, { generatedRuleId: 120 })?.id, 120);
  assert.equal(engine.evaluate(ev, { generatedRuleId: 999 }), null);
});
