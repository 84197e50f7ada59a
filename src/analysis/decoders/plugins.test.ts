/**
 * Plugin decoders (ossec-analysis.md 3.5) against the real OSSEC 4.3.0. ossec-logtest prints no
 * plugin field in Phase 2, so fixtures/plugin-decode.json (make-plugin-fixture.mjs) holds what
 * can be observed: the event's type (which category's rule fired), the alert's Src/Dst IP and
 * port and User lines, and rule-checked values of action, id, url and status.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { newEventInfo, type EventInfo } from '../event-info.js';
import { decode } from './decode.js';
import { loadDecoders, loadDecoderSources } from './load.js';
import { applyForwardedAlert, parseForwardedAlert } from './plugins/ossec-alert.js';
import { sharedFile } from './test-support.js';
import { OSSEC_ALERT_TYPE } from './types.js';

interface PluginEvent {
  line: string;
  programName: string | null;
  log: string;
  decoder: string;
  type: string;
  alert: Record<'srcip' | 'srcport' | 'dstip' | 'dstport' | 'dstuser', string | null>;
  checks: Array<{ field: string; value: string | null; oracleAgrees: boolean }>;
}
const events = JSON.parse(readFileSync(new URL('./fixtures/plugin-decode.json', import.meta.url), 'utf8')) as PluginEvent[];
const decoderXml = sharedFile('conformance/ossec-4.3.0/etc/decoder.xml');

let shipped: ReturnType<typeof loadDecoders> | undefined;
const shippedSet = () => (shipped ??= loadDecoders([decoderXml.path!]));

const event = (programName: string | undefined, log: string, location = 'stdin', hostname = 'vm'): EventInfo =>
  newEventInfo({ location, hostname, programName, log, fullLog: log, time: 0 });

for (const e of events) {
  test(`plugin ${e.decoder}: ${e.line.slice(0, 90)}`, { skip: decoderXml.skip }, () => {
    const set = shippedSet();
    const lf = event(e.programName ?? undefined, e.log);
    decode(set, lf);
    assert.equal(lf.decoder?.name, e.decoder);
    assert.equal(lf.decoder?.type, e.type);
    for (const [k, v] of Object.entries(e.alert)) assert.equal(lf.fields.get(k), v ?? undefined, k);
    for (const c of e.checks) {
      assert.ok(c.oracleAgrees, `the oracle disagreed on ${c.field} when the fixture was made`);
      assert.equal(lf.fields.get(c.field), c.value ?? undefined, c.field);
    }
  });
}

test('pf: protocol from the first word after the destination (not observable in logtest)', () => {
  const set = loadDecoderSources([{ file: 't.xml', text: '<decoder name="n"><prematch>^n</prematch></decoder><decoder name="pf"><program_name>^pf$</program_name><plugin_decoder>PF_Decoder</plugin_decoder></decoder>' }]);
  const proto = (log: string) => {
    const lf = event('pf', log);
    decode(set, lf);
    return lf.fields.get('protocol');
  };
  assert.equal(proto('x rule 1/(match) pass in on a: 1.1.1.1.1 > 2.2.2.2.2:  udp 73'), 'UDP');
  assert.equal(proto('x rule 1/(match) pass in on a: 1.1.1.1 > 2.2.2.2: icmp: echo'), 'ICMP');
  assert.equal(proto('x rule 1/(match) pass in on a: 1.1.1.1.1 > 2.2.2.2.2: S 1:1(0)'), 'TCP');
  assert.equal(proto('x rule 1/(match) pass in on a: 1.1.1.1.1 > 2.2.2.2.2:'), undefined);
});

test('OSSECAlert: the type is set even when the text is no alert; the parse is handed to the rule engine', () => {
  const set = loadDecoderSources([
    { file: 't.xml', text: '<decoder name="n"><prematch>^n</prematch></decoder><decoder name="fwd"><program_name>^ossec$</program_name><plugin_decoder>OSSECAlert_Decoder</plugin_decoder></decoder>' },
  ]);
  const junk = event('ossec', 'something else');
  assert.equal(decode(set, junk), undefined);
  assert.equal(junk.decoder?.name, 'fwd');
  assert.equal(junk.decoder?.type, OSSEC_ALERT_TYPE);

  const log = 'Alert Level: 3; Rule: 5715 - SSHD authentication success.; Location: (a1) 10.0.0.1->/var/log/secure; srcip: 1.2.3.4; user: root;  Accepted password for root';
  const lf = event('ossec', log, '192.168.1.9', 'relay');
  const fa = decode(set, lf);
  assert.deepEqual(fa, { ruleId: '5715', location: '(a1) 10.0.0.1->/var/log/secure', items: [['srcip', '1.2.3.4'], ['dstuser', 'root']], log: 'Accepted password for root', style: 'ossec' });
  // Nothing changes until the rule engine has found rule 5715.
  assert.equal(lf.location, '192.168.1.9');
  assert.equal(lf.fields.size, 0);
  assert.equal(applyForwardedAlert(lf, fa!), true);
  assert.equal(lf.location, '192.168.1.9|(a1) 10.0.0.1->/var/log/secure');
  assert.equal(lf.hostname, lf.location);
  assert.equal(lf.fields.get('srcip'), '1.2.3.4');
  assert.equal(lf.fields.get('dstuser'), 'root');
  assert.equal(lf.log, 'Accepted password for root');
  assert.equal(lf.fullLog, 'Accepted password for root');
});

test('OSSECAlert: a parse that stops after the rule id changes what C changed before it stopped', () => {
  assert.equal(parseForwardedAlert('Alert Level: 3 no semicolon', 'ossec: Alert Level', 'ossec'), undefined);
  assert.equal(parseForwardedAlert('Alert Level: 3; Rule: 12', 'ossec: Alert Level', 'ossec'), undefined);
  const noLoc = parseForwardedAlert('Alert Level: 3; Rule: 12 - x; Where: y; z', 'ossec: Alert Level', 'ossec')!;
  assert.deepEqual([noLoc.ruleId, noLoc.location, noLoc.log], ['12', undefined, undefined]);
  const lf = event('ossec', 'l', 'loc');
  assert.equal(applyForwardedAlert(lf, noLoc), false);
  assert.equal(lf.location, 'loc');
  const cut = parseForwardedAlert('ossec: Alert Level: 3; Rule: 12 - x; Location: here; srcip: 9.9.9.9; user: bob', 'ossec: Alert Level', 'ossec')!;
  assert.deepEqual([cut.location, cut.items, cut.log], ['here', [['srcip', '9.9.9.9']], undefined]);
  assert.equal(applyForwardedAlert(lf, cut), false);
  assert.equal(lf.location, 'loc|here');
  assert.equal(lf.fields.get('srcip'), '9.9.9.9');
});

test('OSPatrolAlert: OSPatrol prefix, and host->location for events not from an agent', () => {
  const fa = parseForwardedAlert('ospatrol: Alert Level: 5; Rule: 7 - d; Location: l2;  rest', 'ospatrol: Alert Level', 'ospatrol')!;
  assert.equal(fa.log, 'rest');
  const local = event('ospatrol', 'x', '/var/log/messages', 'server');
  applyForwardedAlert(local, fa);
  assert.equal(local.location, 'server->/var/log/messages|l2');
  const agent = event('ospatrol', 'x', '(a) 1.2.3.4->/var/log/secure', '(a) 1.2.3.4->/var/log/secure');
  applyForwardedAlert(agent, fa);
  assert.equal(agent.location, '(a) 1.2.3.4->/var/log/secure|l2');
});
