/**
 * The real rule sets load with no error and build the tree OSSEC builds: "Total rules enabled"
 * (tree nodes) must be OSSEC's 1,643 for the template plus cpanel_rules.xml (ossec-analysis.md 5.5),
 * and ospatrol-logtest's 1,248 for OSPatrol's server config (measured with the oracle, which renames
 * the second root 07 to 08; we keep it as an extra root, see ruleset.ts).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { loadShipped, sharedPath } from './test-support.js';

const ossec = sharedPath('conformance/ossec-4.3.0/etc/ossec-full-ruleset.conf');
const ospatrol = sharedPath('conformance/ospatrol/etc/ospatrol-server.conf');

test('OSSEC 4.3.0: every file of ossec-full-ruleset.conf loads, 1,643 tree nodes', { skip: ossec.skip }, () => {
  const { ruleset, ruleFiles } = loadShipped('ossec');
  assert.equal(ruleFiles.length, 70);
  assert.deepEqual(ruleset.warnings, []);
  assert.equal(ruleset.nodeCount, 1643);
  assert.equal(ruleset.roots.length, 7);
  // Spot checks from ossec-analysis.md 8.3: the children of 530 and 531.
  const r530 = ruleset.byId.get(531)!;
  assert.equal(r530.ignoreTime, 7200);
  assert.equal(ruleset.byId.get(533)!.level, 7);
  assert.equal(ruleset.byId.get(5712)!.description, 'SSHD brute force trying to get access to the system.');
});

test('OSSEC 4.3.0: the installer template alone (without cpanel) gives 1,636 nodes', { skip: ossec.skip }, () => {
  const { ruleset } = loadShipped('ossec', (n) => n !== 'cpanel_rules.xml');
  assert.equal(ruleset.nodeCount, 1636);
});

test('OSPatrol 2.7: every file of ospatrol-server.conf loads, 1,248 tree nodes', { skip: ospatrol.skip }, () => {
  const { ruleset, ruleFiles } = loadShipped('ospatrol');
  assert.equal(ruleFiles.length, 57);
  assert.equal(ruleset.nodeCount, 1248);
  // The only warning: rules_config.xml's second root 07 (see ruleset.ts).
  assert.equal(ruleset.warnings.length, 1);
  assert.match(ruleset.warnings[0], /rules_config\.xml:\d+: rule 7: duplicate root rule id/);
  assert.equal(ruleset.roots.length, 8);
});
