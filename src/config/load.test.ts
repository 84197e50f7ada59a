import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigErrors } from '../errors.js';
import { loadConfig } from './load.js';

function setup(conf: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'osp-conf-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'a_rules.xml'), '<group name="a,"><rule id="1" level="0"><match>x</match></rule></group>');
  writeFileSync(join(dir, 'decoder.xml'), '<decoder name="d"><prematch>^x</prematch></decoder>');
  writeFileSync(join(dir, 'ospatrol.conf'), conf);
  return join(dir, 'ospatrol.conf');
}

test('reads localfiles, rules and defaults', () => {
  const file = setup(`<ospatrol_config>
  <global><jsonout_output>no</jsonout_output><command_prefix>ossec</command_prefix></global>
  <rules><include>a_rules.xml</include></rules>
  <localfile><log_format>full_command</log_format><command>netstat -an | grep 'LISTEN'</command><alias>netstat</alias><frequency>2</frequency></localfile>
  <localfile><log_format>command</log_format><command>df -P</command><timeout>5s</timeout><max_output>1K</max_output></localfile>
  <localfile><log_format>syslog</log_format><location>/var/log/*.log</location><only-future-events>no</only-future-events></localfile>
  <localfile><log_format>multi-line:3</log_format><location>/tmp/x</location></localfile>
</ospatrol_config>
<ossec_config><alerts><email_alert_level>9</email_alert_level></alerts></ossec_config>`);
  const c = loadConfig(file);
  assert.equal(c.global.jsonoutOutput, false);
  assert.equal(c.global.commandPrefix, 'ossec');
  assert.equal(c.alerts.emailAlertLevel, 9);
  assert.equal(c.alerts.logAlertLevel, 1);
  assert.equal(c.rules.ruleFiles.length, 1);
  assert.match(c.rules.decoderFiles[0], /decoder\.xml$/);
  assert.equal(c.localfiles.length, 4);
  const [netstat, df, syslog, ml] = c.localfiles;
  assert.ok(netstat.type === 'command' && df.type === 'command' && syslog.type === 'logfile' && ml.type === 'logfile');
  assert.equal(netstat.alias, 'netstat');
  assert.equal(netstat.frequencySeconds, 2);
  assert.equal(netstat.format, 'full_command');
  assert.equal(df.alias, 'df -P');
  assert.equal(df.frequencySeconds, 360);
  assert.equal(df.timeoutSeconds, 5);
  assert.equal(df.maxOutputBytes, 1024);
  assert.equal(syslog.onlyFutureEvents, false);
  assert.equal(ml.format, 'multi-line');
  assert.equal(ml.linesPerEvent, 3);
});

test('every error is reported with file, line and element', () => {
  const file = setup(`<ospatrol_config>
  <localfile>
    <log_format>full_command</log_format>
    <command>true</command>
    <frequency>soon</frequency>
  </localfile>
  <localfile>
    <log_format>cmd</log_format>
    <location>/x</location>
  </localfile>
  <rules>
    <include>missing_rules.xml</include>
  </rules>
  <global><logall>maybe</logall><bogus>1</bogus></global>
</ospatrol_config>`);
  assert.throws(
    () => loadConfig(file),
    (e: unknown) => {
      assert.ok(e instanceof ConfigErrors);
      const msgs = e.errors.map((x) => x.message);
      assert.equal(msgs.length, 5, msgs.join('\n'));
      assert.match(msgs[0], /ospatrol\.conf:5: <frequency>: must be a number of seconds/);
      assert.match(msgs[1], /ospatrol\.conf:8: <log_format>: unknown log format "cmd"/);
      assert.match(msgs[2], /ospatrol\.conf:12: <include>: file "missing_rules.xml" not found/);
      assert.match(msgs[3], /ospatrol\.conf:14: <logall>: must be "yes" or "no"/);
      assert.match(msgs[4], /ospatrol\.conf:14: <bogus>: unknown option in <global>/);
      return true;
    },
  );
});

test('malformed XML names the line', () => {
  const file = setup(`<ospatrol_config>\n<global>\n<logall>yes</logal>\n</global>\n</ospatrol_config>`);
  assert.throws(() => loadConfig(file), /ospatrol\.conf:3: closing tag <\/logal> does not match <logall>/);
});

test('the shipped etc/ospatrol.conf loads', () => {
  const c = loadConfig(new URL('../../etc/ospatrol.conf', import.meta.url).pathname);
  assert.ok(c.localfiles.some((l) => l.type === 'command' && l.alias === 'netstat' && l.format === 'full_command'));
  assert.equal(c.rules.ruleFiles.length, 3);
});
