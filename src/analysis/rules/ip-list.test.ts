import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ipListMatches, parseIp, parseIpEntry, parseIpv4, type IpEntry } from './ip-list.js';

const list = (...xs: string[]): IpEntry[] => xs.map((x) => parseIpEntry(x)!);

// Every expectation below was measured with ossec-logtest 4.3.0 (a <srcip> rule and a decoder
// capturing srcip), see ip-list.ts.
test('rule values OSSEC accepts and refuses', () => {
  for (const ok of ['1.2.3.4', '1.2.3.0/24', '1.2.3.4/032', '1.2.3.4/0', '1.2.3.4/', '10.1', '167837953', '010.1.1.1', '0x01020304', 'any', '!any', '!1.2.3.4', '::1', '2001:db8::/128', '::ffff:1.2.3.4', '1.2.3.4/8 ', '1.2.3.4/-1', '1.2.3.4/x']) {
    assert.ok(parseIpEntry(ok), `should accept ${JSON.stringify(ok)}`);
  }
  for (const bad of ['1.2.3.4/33', 'ANY', ' 1.2.3.4', '1.2.3.4 ', '! 1.2.3.4', '1.2.3.4/255.255.255.0', '2001:db8::/129', '1.2.3.256', 'a.b.c.d', '', '1.2.3.4/24/1', '1.2.3.4/1000']) {
    assert.equal(parseIpEntry(bad), undefined, `should refuse ${JSON.stringify(bad)}`);
  }
});

test('inet_aton forms', () => {
  assert.deepEqual([...parseIpv4('10.1')!], [10, 0, 0, 1]);
  assert.deepEqual([...parseIpv4('167837953')!], [10, 1, 1, 1]);
  assert.deepEqual([...parseIpv4('010.1.1.1')!], [8, 1, 1, 1]);
  assert.deepEqual([...parseIpv4('10.1.258')!], [10, 1, 1, 2]);
  assert.equal(parseIpv4('08.1.1.1'), undefined);
  assert.equal(parseIpv4('1.2.3.4x'), undefined);
  assert.equal(parseIpv4('256.1.1.1'), undefined);
});

test('matching: per-entry sense, opposite of the last entry when none matches, any, prefixes, families', () => {
  assert.equal(ipListMatches(list('!10.0.0.0/8', '192.168.0.0/16'), '192.168.1.1'), true);
  assert.equal(ipListMatches(list('!10.0.0.0/8', '192.168.0.0/16'), '10.1.1.1'), false);
  assert.equal(ipListMatches(list('!10.0.0.0/8', '192.168.0.0/16'), '172.16.1.1'), false);
  assert.equal(ipListMatches(list('!10.0.0.0/8'), '172.16.1.1'), true);
  assert.equal(ipListMatches(list('!10.0.0.0/8'), 'notanip'), false);
  assert.equal(ipListMatches(list('!10.0.0.0/8'), '0.0.0.0'), true);
  assert.equal(ipListMatches(list('!10.0.0.0/8'), '255.255.255.255'), true);
  assert.equal(ipListMatches(list('10.0.0.0/8'), '10.1'), true);
  assert.equal(ipListMatches(list('10.0.0.0/8'), '010.1.1.1'), false);
  assert.equal(ipListMatches(list('10.0.0.0/8'), '::ffff:10.1.1.1'), true);
  assert.equal(ipListMatches(list('10.0.0.0/8'), '10.1.1.1/8'), true);
  assert.equal(ipListMatches(list('1.0.0.0/8'), '1.2.3.4/0'), true);
  assert.equal(ipListMatches(list('1.0.0.0/8'), '1.2.3.4/33'), false);
  assert.equal(ipListMatches(list('2001:db8::/32'), '2001:DB8:0::1'), true);
  assert.equal(ipListMatches(list('fe80::/10'), 'fe80::1%eth0'), true);
  assert.equal(ipListMatches(list('1.2.3.4'), '1.2.3.4%x'), false);
  assert.equal(ipListMatches(list('10.1.2.3', '!any'), '10.1.2.4'), false);
  assert.equal(ipListMatches(list('0.0.0.0/0'), '::1'), true);
  assert.equal(ipListMatches(list('::/0'), '1.2.3.4'), true);
  assert.equal(ipListMatches(list('::ffff:0:0/96'), '1.2.3.4'), false);
  assert.equal(ipListMatches(list('::ffff:1.2.3.0/24'), '1.2.3.4'), true);
  assert.equal(ipListMatches(list('::ffff:1.2.3.0/120'), '1.2.3.4'), false);
  assert.equal(ipListMatches(list('1.2.3.4'), '::1.2.3.4'), false);
  assert.equal(ipListMatches(list('1.2.3.4/-1'), '1.2.3.5'), false);
  assert.equal(ipListMatches(list('1.2.3.4/-0'), '9.2.3.5'), true);
  assert.equal(ipListMatches(list('1.2.3.4/'), '9.9.9.9'), true);
  assert.equal(ipListMatches(list('1.2.3.4/ 8'), '1.9.9.9'), true);
});

test('IPv6 text forms', () => {
  assert.ok(parseIp('::'));
  assert.ok(parseIp('1::'));
  assert.ok(parseIp('1:2:3:4:5:6:7:8'));
  assert.ok(parseIp('::ffff:192.0.2.1'));
  assert.equal(parseIp('1:2:3:4:5:6:7:8:9'), undefined);
  assert.equal(parseIp('1::2::3'), undefined);
  assert.equal(parseIp(':1'), undefined);
  assert.equal(parseIp('::ffff:192.0.2.01'), undefined);
  assert.equal(parseIp('12345::'), undefined);
});
