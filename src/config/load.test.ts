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

test('outputs: database_output, syslog_output, e-mail and email_alerts are read with their defaults', () => {
  const file = setup(`<ossec_config>
  <global>
    <email_notification>yes</email_notification>
    <email_to>soc@example.com</email_to>
    <email_to>oncall@example.com</email_to>
    <email_from>ospatrol@example.com</email_from>
    <smtp_server>mail.example.com</smtp_server>
    <smtp_port>2525</smtp_port>
    <smtp_user>relay</smtp_user>
    <smtp_password> s3cr'et "pw" </smtp_password>
    <email_maxperhour>30</email_maxperhour>
    <email_idsname>edge-1</email_idsname>
  </global>
  <alerts><email_alert_level>9</email_alert_level></alerts>
  <database_output>
    <hostname>db.example.com</hostname>
    <username>ossec</username>
    <password>p'w"\\d</password>
    <database>ossec</database>
    <type>postgresql</type>
  </database_output>
  <database_output><type>mysql</type><hostname>127.0.0.1</hostname><port>3307</port><username>u</username><database>d</database></database_output>
  <database_output><type>sqlite</type><database>copy.db</database></database_output>
  <syslog_output><server>10.0.0.5</server></syslog_output>
  <syslog_output>
    <server>siem.example.com</server><port>6514</port><format>cef</format><protocol>tcp</protocol><tls>yes</tls><tls_verify>no</tls_verify>
    <level>10</level><group>authentication_failed|sshd</group><rule_id>5503, 5716</rule_id><location>secure$</location><max_size>4K</max_size>
  </syslog_output>
  <email_alerts>
    <email_to>pager@example.com</email_to>
    <level>12</level>
    <group>attacks</group>
    <event_location>web1</event_location>
    <rule_id>100100 100101</rule_id>
    <format>sms</format>
    <do_not_delay />
    <do_not_group />
  </email_alerts>
</ossec_config>`);
  const c = loadConfig(file);
  const g = c.global;
  assert.equal(g.emailNotification, true);
  assert.deepEqual(g.emailTo, ['soc@example.com', 'oncall@example.com']);
  assert.equal(g.emailFrom, 'ospatrol@example.com');
  assert.equal(g.smtpServer, 'mail.example.com');
  assert.equal(g.smtpPort, 2525);
  assert.equal(g.smtpUser, 'relay');
  assert.equal(g.smtpPassword, ` s3cr'et "pw" `);
  assert.equal(g.emailMaxPerHour, 30);
  assert.equal(g.emailIdsname, 'edge-1');
  assert.equal(c.alerts.emailAlertLevel, 9);

  const [pg, my, lite] = c.databaseOutputs;
  assert.deepEqual(
    { type: pg.type, host: pg.hostname, port: pg.port, user: pg.username, pw: pg.password, db: pg.database },
    { type: 'postgresql', host: 'db.example.com', port: 5432, user: 'ossec', pw: `p'w"\\d`, db: 'ossec' },
  );
  assert.deepEqual([my.type, my.port, my.password], ['mysql', 3307, '']);
  assert.deepEqual([lite.type, lite.database], ['sqlite', 'copy.db']);

  const [plain, siem] = c.syslogOutputs;
  assert.deepEqual(
    [plain.server, plain.port, plain.format, plain.protocol, plain.level, plain.maxSize],
    ['10.0.0.5', 514, 'default', 'udp', undefined, 8192],
  );
  assert.deepEqual(
    [siem.port, siem.format, siem.protocol, siem.tlsVerify, siem.level, siem.group, siem.ruleIds, siem.location, siem.maxSize],
    [6514, 'cef', 'tls', false, 10, 'authentication_failed|sshd', [5503, 5716], 'secure$', 4096],
  );
  assert.deepEqual(c.emailAlerts.map((e) => [e.to, e.level, e.group, e.eventLocation, e.ruleIds, e.format, e.doNotDelay, e.doNotGroup]), [
    [['pager@example.com'], 12, 'attacks', 'web1', [100100, 100101], 'sms', true, true],
  ]);
});

test('output errors name file, line and element; passwords are never echoed', () => {
  const file = setup(`<ospatrol_config>
  <global>
    <email_notification>yes</email_notification>
    <email_to>not an address</email_to>
  </global>
  <database_output>
    <type>oracle</type>
    <password>hunter2-secret</password>
  </database_output>
  <database_output>
    <type>postgresql</type>
    <port>99999</port>
  </database_output>
  <syslog_output>
    <format>xml</format>
    <protocol>sctp</protocol>
    <rule_id>55x</rule_id>
  </syslog_output>
  <email_alerts>
    <level>3</level>
    <delay>1</delay>
  </email_alerts>
</ospatrol_config>`);
  assert.throws(
    () => loadConfig(file),
    (e: unknown) => {
      assert.ok(e instanceof ConfigErrors);
      const msgs = e.errors.map((x) => x.message);
      const all = msgs.join('\n');
      assert.doesNotMatch(all, /hunter2/);
      const expected = [
        /ospatrol\.conf:3: <email_notification>: e-mail is on but <global> has no valid <smtp_server>/,
        /ospatrol\.conf:3: <email_notification>: e-mail is on but <global> has no valid <email_from>/,
        /ospatrol\.conf:3: <email_notification>: e-mail is on but there is no <email_to>/,
        /ospatrol\.conf:4: <email_to>: must be one e-mail address \(user@domain\), got "not an address"/,
        /ospatrol\.conf:7: <type>: must be postgresql, mysql or sqlite, got "oracle"/,
        /ospatrol\.conf:10: <database_output>: missing <hostname>/,
        /ospatrol\.conf:10: <database_output>: missing <username>/,
        /ospatrol\.conf:10: <database_output>: missing <database>/,
        /ospatrol\.conf:12: <port>: must be between 1 and 65535, got 99999/,
        /ospatrol\.conf:14: <syslog_output>: missing <server>/,
        /ospatrol\.conf:15: <format>: must be default, cef, json or splunk, got "xml"/,
        /ospatrol\.conf:16: <protocol>: must be udp, tcp or tls, got "sctp"/,
        /ospatrol\.conf:17: <rule_id>: must be rule ids separated by commas, got "55x"/,
        /ospatrol\.conf:19: <email_alerts>: missing <email_to>/,
        /ospatrol\.conf:21: <delay>: unknown option in <email_alerts>/,
      ];
      for (const re of expected) assert.ok(msgs.some((m) => re.test(m)), `${re} not in:\n${all}`);
      assert.equal(msgs.length, expected.length, all);
      return true;
    },
  );
});

test('e-mail off: the e-mail options need not be complete; OSSEC sections still unsupported are accepted', () => {
  const file = setup(`<ossec_config>
  <global><email_notification>no</email_notification><email_to>a@b.c</email_to></global>
  <email_alerts><email_to>x@y.z</email_to></email_alerts>
  <reports><title>daily</title></reports>
</ossec_config>`);
  const c = loadConfig(file);
  assert.equal(c.global.emailNotification, false);
  assert.equal(c.emailAlerts.length, 1);
  assert.deepEqual([c.databaseOutputs, c.syslogOutputs], [[], []]);
});
