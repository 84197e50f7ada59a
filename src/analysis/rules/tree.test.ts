import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { RuleNode } from './rule.js';
import { rulesFrom } from './test-support.js';

/** Child ids of the node for `id` (first occurrence, depth first). */
function childIds(roots: RuleNode[], id: number): number[] {
  const stack = [...roots];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.rule.id === id) return n.children.map((c) => c.rule.id);
    stack.unshift(...n.children);
  }
  throw new Error(`no node ${id}`);
}

/** How many nodes hold rule `id`. */
function places(roots: RuleNode[], id: number): number {
  let n = 0;
  const walk = (list: RuleNode[]): void => {
    for (const x of list) {
      if (x.rule.id === id) n++;
      walk(x.children);
    }
  };
  walk(roots);
  return n;
}

test('siblings sort by scaled level, highest first; level 0 (9900) first; accuracy=0 last; ties in load order', () => {
  const rs = rulesFrom(`
<group name="g,">
  <rule id="100" level="0"><decoded_as>tst</decoded_as><description>base</description></rule>
  <rule id="101" level="3"><if_sid>100</if_sid><match>a</match><description>l3</description></rule>
  <rule id="102" level="12"><if_sid>100</if_sid><match>b</match><description>l12</description></rule>
  <rule id="103" level="0"><if_sid>100</if_sid><match>c</match><description>l0</description></rule>
  <rule id="104" level="3"><if_sid>100</if_sid><match>d</match><description>l3 again</description></rule>
  <rule id="105" level="15" accuracy="0"><if_sid>100</if_sid><match>e</match><description>acc0</description></rule>
  <rule id="106" level="16"><if_sid>100</if_sid><match>f</match><description>l16</description></rule>
</group>`);
  assert.deepEqual(childIds(rs.roots, 100), [103, 106, 102, 101, 104, 105]);
  // Levels are divided back after loading: 9900 → 0, 1200 → 12, and the unscaled 15 stays 15.
  assert.equal(rs.byId.get(103)!.level, 0);
  assert.equal(rs.byId.get(102)!.level, 12);
  assert.equal(rs.byId.get(105)!.level, 15);
  assert.equal(rs.roots.map((r) => r.rule.id).join(','), '1,2,7');
});

test('a rule without a link goes under the first root of its category; if_sid copies the parent category', () => {
  const rs = rulesFrom(`
<group name="g,">
  <rule id="200" level="0"><category>firewall</category><description>fw base</description></rule>
  <rule id="201" level="4"><if_sid>200</if_sid><match>x</match><description>child</description></rule>
</group>`);
  assert.deepEqual(childIds(rs.roots, 2), [200]);
  assert.equal(rs.byId.get(201)!.category, 'firewall');
});

test('if_sid attaches under every node holding that id, and "N," also links under the category root', () => {
  const rs = rulesFrom(`
<group name="auth,">
  <rule id="300" level="0"><decoded_as>tst</decoded_as><description>base</description></rule>
  <rule id="301" level="5"><if_sid>300</if_sid><match>fail</match><group>auth_fail,</group><description>fail</description></rule>
  <rule id="302" level="0"><decoded_as>web</decoded_as><description>web base</description></rule>
  <rule id="303" level="6"><if_group>auth_fail</if_group><description>linked by group</description></rule>
  <rule id="304" level="7"><if_sid>303</if_sid><match>root</match><description>child of a group-linked rule</description></rule>
  <rule id="305" level="2"><if_sid>301, 302</if_sid><description>two parents</description></rule>
  <rule id="306" level="2"><if_sid>302,</if_sid><match>zz</match><description>trailing comma</description></rule>
</group>`);
  // 303 sits under 301 only (301 is the only rule whose group matched when 303 loaded).
  assert.equal(places(rs.roots, 303), 1);
  assert.deepEqual(childIds(rs.roots, 303), [304]);
  assert.equal(places(rs.roots, 305), 2);
  // The NUL terminator of "302," is read as rule id 0: the category branch (measured with ossec-logtest).
  assert.equal(places(rs.roots, 306), 2);
  assert.ok(childIds(rs.roots, 1).includes(306));
  assert.equal(rs.nodeCount, 3 + 7 + 1 + 1);
});

test('if_group and if_level link under every qualifying node at any depth, the rule itself excepted', () => {
  const rs = rulesFrom(`
<group name="g,">
  <rule id="400" level="0"><decoded_as>tst</decoded_as><group>pam,</group><description>base</description></rule>
  <rule id="401" level="5"><if_sid>400</if_sid><match>a</match><group>pam_fail,</group><description>a</description></rule>
  <rule id="402" level="9"><if_sid>401</if_sid><match>b</match><description>b</description></rule>
  <rule id="403" level="1"><if_group>^g,pam</if_group><description>prefix word match</description></rule>
  <rule id="404" level="1"><if_level>9</if_level><description>level 9 or more</description></rule>
</group>`);
  // OS_WordMatch "^g,pam": a prefix test on "g,pam," and "g,pam_fail,"; 402 ("g,") does not match.
  assert.equal(places(rs.roots, 403), 2);
  // if_level 9 → 900: rules at 9 (402) and level-0 rules (9900: the roots and 400), not 401 (500).
  assert.ok(childIds(rs.roots, 402).includes(404));
  assert.ok(childIds(rs.roots, 400).includes(404));
  assert.ok(childIds(rs.roots, 1).includes(404));
  assert.ok(!childIds(rs.roots, 401).includes(404));
});

test('overwrite="yes" keeps the node and its place, replaces level, description and OS patterns, keeps PCRE2 ones', () => {
  const rs = rulesFrom([
    `<group name="g,">
  <rule id="500" level="0"><decoded_as>tst</decoded_as><description>base</description></rule>
  <rule id="501" level="3"><if_sid>500</if_sid><match_pcre2>^keep</match_pcre2><description>original</description></rule>
  <rule id="502" level="4"><if_sid>500</if_sid><match>other</match><description>sibling</description></rule>
</group>`,
    `<group name="local,">
  <rule id="501" level="12" overwrite="yes"><if_sid>500</if_sid><description>replaced</description><group>local,</group></rule>
</group>`,
  ]);
  const r = rs.byId.get(501)!;
  assert.equal(r.level, 12);
  assert.equal(r.description, 'replaced');
  assert.equal(r.groupText, 'local,local,');
  assert.ok(r.fMatch !== null && r.fMatch.pattern === '^keep');
  // Not re-sorted: still after 502 (level 4), although it now has level 12.
  assert.deepEqual(childIds(rs.roots, 500), [502, 501]);
  assert.equal(places(rs.roots, 501), 1);
});

test('level flags: log and mail from the raw level, then <options> in file order; noalert with any value', () => {
  const rs = rulesFrom(`
<group name="g,">
  <rule id="600" level="0" noalert="0"><decoded_as>tst</decoded_as><description>base</description></rule>
  <rule id="601" level="7"><if_sid>600</if_sid><description>mail by level</description></rule>
  <rule id="602" level="8"><if_sid>600</if_sid><options>no_email_alert</options><options>no_log</options><description>x</description></rule>
  <rule id="603" level="2"><if_sid>600</if_sid><options>alert_by_email</options><options>no_ar</options><description>y</description></rule>
</group>`, { logAlertLevel: 3, emailAlertLevel: 7 });
  const f = (id: number) => {
    const r = rs.byId.get(id)!;
    return { mail: r.mail, log: r.logAlert, noAr: r.noAr, noAlert: r.noAlert };
  };
  assert.deepEqual(f(600), { mail: false, log: false, noAr: false, noAlert: true });
  assert.deepEqual(f(601), { mail: true, log: true, noAr: false, noAlert: false });
  assert.deepEqual(f(602), { mail: false, log: false, noAr: false, noAlert: false });
  assert.deepEqual(f(603), { mail: true, log: false, noAr: true, noAlert: false });
});

test('repeated elements are joined with no separator; only the first newline of a description becomes a space', () => {
  const rs = rulesFrom(`
<group name="g,">
  <rule id="700" level="3"><decoded_as>tst</decoded_as><description>two
lines
here</description><description> and more</description><pcre2>^a|</pcre2><pcre2>^b</pcre2><group>x,</group><group>y,</group></rule>
</group>`);
  const r = rs.byId.get(700)!;
  assert.equal(r.description, 'two lines\nhere and more');
  assert.equal(r.fRegex!.pattern, '^a|^b');
  assert.equal(r.groupText, 'g,x,y,');
  assert.deepEqual(r.groups, ['g', 'x', 'y']);
});

test('at most 9 info details survive (OSSEC\'s running counter), <cve> included', () => {
  const infos = Array.from({ length: 11 }, (_, i) => `<info type="link">l${i + 1}</info>`).join('');
  const rs = rulesFrom(`<group name="g,"><rule id="800" level="3"><decoded_as>tst</decoded_as><cve>c0</cve>${infos}<description>d</description></rule></group>`);
  const r = rs.byId.get(800)!;
  assert.equal(r.info.length, 9);
  assert.deepEqual(r.info[0], { type: 'cve', value: 'c0' });
  assert.deepEqual(r.info[8], { type: 'link', value: 'l8' });
});

test('loads OSPatrol\'s root template defined twice (id 07) as an extra root, with a warning', () => {
  const rs = rulesFrom(
    `<group name="ossec"><rule id="07" level="0" noalert="1"><category>ossec</category><description>a</description></rule></group>
<group name="ospatrol"><rule id="07" level="0" noalert="1"><category>ospatrol</category><description>b</description></rule></group>
<group name="x,"><rule id="500" level="0"><category>ospatrol</category><description>c</description></rule></group>`,
    { roots: false },
  );
  assert.equal(rs.roots.length, 2);
  assert.equal(rs.roots[1].rule.category, 'ossec');
  assert.deepEqual(rs.roots[0].children.map((c) => c.rule.id), [500]);
  assert.equal(rs.warnings.length, 1);
  assert.equal(rs.byId.get(7)!.description, 'a');
});
