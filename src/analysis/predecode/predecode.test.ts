import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predecode } from './predecode.js';

const HOST = 'vm';
const pd = (message: string) => predecode({ location: '/var/log/messages', message }, HOST);
const fields = (message: string) => {
  const r = pd(message);
  return { hostname: r.hostname, programName: r.programName, log: r.log };
};

test('2.1 family A timestamps, each row of the table', () => {
  const tail = 'host prog: msg';
  for (const ts of [
    'Dec 29 10:00:01', // A1
    '2015-04-16 21:51:02,805', // A2
    '2007-06-14T15:48:55-04:00', // A3
    '2009-05-22T09:36:46.214994-07:00', // A4, 6 fraction digits
    '2009-05-22T09:36:46.2-07:00', // A4, 1 digit
    '2009-05-22T09:36:46,214-07:00', // A4, comma
    '2015 Dec 29 10:00:01', // A5
    '2019:11:06-00:08:03', // A6
  ]) {
    assert.deepEqual(fields(`${ts} ${tail}`), { hostname: 'host', programName: 'prog', log: 'msg' }, ts);
  }
});

test('2.1 verified consequences: 2-char day only, no Z time', () => {
  assert.deepEqual(fields('Jul 5 12:13:15 host prog: x'), { hostname: HOST, programName: undefined, log: 'Jul 5 12:13:15 host prog: x' });
  assert.deepEqual(fields('Nov  2 12:13:15 host prog: x'), { hostname: 'host', programName: 'prog', log: 'x' });
  assert.deepEqual(fields('Nov 02 12:13:15 host prog: x'), { hostname: 'host', programName: 'prog', log: 'x' });
  assert.deepEqual(fields('2007-06-14T15:48:55Z host prog: x'), { hostname: HOST, programName: undefined, log: '2007-06-14T15:48:55Z host prog: x' });
});

test('2.1 hostname and program name rules', () => {
  // Solaris style: `name: ` right after the time is the program name, no hostname.
  assert.deepEqual(fields('Dec 10 01:02:03 su: solaris style'), { hostname: HOST, programName: 'su', log: 'solaris style' });
  // invalid hostname: ends in something other than a space
  assert.deepEqual(fields('Dec 10 01:02:03 sshd[1]: x'), { hostname: HOST, programName: undefined, log: 'sshd[1]: x' });
  assert.deepEqual(fields('Dec 10 01:02:03 host:prog x'), { hostname: HOST, programName: undefined, log: 'host:prog x' });
  // program name forms
  assert.deepEqual(fields('Dec 29 10:00:01 h sshd[123]: m'), { hostname: 'h', programName: 'sshd', log: 'm' });
  assert.deepEqual(fields('Dec 29 10:00:01 h sshd[123] m'), { hostname: 'h', programName: 'sshd', log: 'm' });
  assert.deepEqual(fields('Dec 29 10:00:01 h sshd[12x]: m'), { hostname: 'h', programName: undefined, log: 'sshd[12x]: m' });
  assert.deepEqual(fields('Dec 29 10:00:01 h sshd[abc]: m'), { hostname: 'h', programName: undefined, log: 'sshd[abc]: m' });
  assert.deepEqual(fields('Dec 29 10:00:01 h sshd:m'), { hostname: 'h', programName: undefined, log: 'sshd:m' });
  // one extra space after the time is skipped
  assert.deepEqual(fields('Dec 29 10:00:01  h p: m'), { hostname: 'h', programName: 'p', log: 'm' });
  // valid name chars include @ / ( ) . _ -
  assert.deepEqual(fields('Dec 29 10:00:01 h@st/(x) p_r-o.g: m'), { hostname: 'h@st/(x)', programName: 'p_r-o.g', log: 'm' });
});

test('2.1 AIX facility|severity before the program name', () => {
  assert.deepEqual(fields('Dec 29 10:00:01 h auth|security:info sshd: m'), { hostname: 'h', programName: 'sshd', log: 'm' });
  assert.deepEqual(fields('Dec 29 10:00:01 h auth|security:info sshd[42]: m'), { hostname: 'h', programName: 'sshd', log: 'm' });
  // A bad pid keeps the program name and log stays at the token, both cut where the `[` was
  // overwritten by a NUL (C quirk, verified).
  assert.deepEqual(fields('Dec 29 10:00:01 h auth|security:info sshd[42] m'), {
    hostname: 'h',
    programName: 'sshd',
    log: 'auth|security:info sshd',
  });
  // Nothing ends the program name: it runs to the end of the line (C quirk, verified).
  assert.deepEqual(fields('Dec 29 10:00:01 h auth|security:info sshd x'), { hostname: 'h', programName: 'sshd x', log: ' x' });
  assert.deepEqual(fields('Dec 29 10:00:01 h auth|Security:info sshd: m'), { hostname: 'h', programName: undefined, log: 'auth|Security:info sshd: m' });
});

test('2.1 step 3: the Solaris [ID ...] message id is skipped', () => {
  assert.deepEqual(fields('Dec 29 10:00:01 h p[1]: [ID 702911 auth.notice] m'), { hostname: 'h', programName: 'p', log: 'm' });
  assert.deepEqual(fields('Dec 29 10:00:01 su: [ID 1 x.y] m'), { hostname: HOST, programName: 'su', log: 'm' });
  assert.deepEqual(fields('Dec 29 10:00:01 h p: [ID 1 no close'), { hostname: 'h', programName: 'p', log: '[ID 1 no close' });
});

test('2 the Mär fix: a 2-byte ä in the month still lines up', () => {
  assert.deepEqual(fields('Mär 02 17:30:52 host prog: umlaut month'), { hostname: 'host', programName: 'prog', log: 'umlaut month' });
  // any other non-ASCII char shifts the positions and the header is not recognised
  assert.equal(fields('Déc 29 10:00:01 host prog: x').programName, undefined);
});

test('2.2 other families: log advanced, no hostname or program name', () => {
  assert.deepEqual(fields('Mon Apr 17 18:27:14 2006 1 64.160.42.130 2 /x b'), { hostname: HOST, programName: undefined, log: ' 1 64.160.42.130 2 /x b' });
  assert.deepEqual(fields('01/28-09:13:16.240702  [**] [1:2:3] snort'), { hostname: HOST, programName: undefined, log: '[**] [1:2:3] snort' });
  assert.deepEqual(fields('01/28/1979-09:13:16.240702  [**] suricata'), { hostname: HOST, programName: undefined, log: '[**] suricata' });
  assert.deepEqual(fields('[Fri Feb 11 18:06:35 2004] [warn] apache'), { hostname: HOST, programName: undefined, log: '[warn] apache' });
  assert.deepEqual(fields('1140804070.368  11623 10.0.0.1 TCP_MISS/200 1234 GET http://x/ -'), {
    hostname: HOST,
    programName: undefined,
    log: '11623 10.0.0.1 TCP_MISS/200 1234 GET http://x/ -',
  });
});

test('2.2 OS X ASL: Sender, first Message and Host', () => {
  assert.deepEqual(
    fields('[Time 2006.12.28 15:53:55 UTC] [Facility auth] [Sender sshd] [PID 483] [Message error: PAM: x] [Level 3] [Host H]'),
    { hostname: 'H', programName: 'sshd', log: 'error: PAM: x' },
  );
  assert.deepEqual(fields('[Time 2006.12.28 15:53:55 UTC] [Message first] [Message second] [Sender s] [Host h'), {
    hostname: HOST,
    programName: 's',
    log: 'first',
  });
  // No Message: log is the line after 25 bytes, cut where the Sender's `]` was overwritten by a
  // NUL (C quirk, verified).
  assert.deepEqual(fields('[Time 2006.12.28 15:53:55 UTC] [Facility auth] [Sender sshd] [PID 483]'), {
    hostname: HOST,
    programName: 'sshd',
    log: ' UTC] [Facility auth] [Sender sshd',
  });
});

test('1.2.5 control characters are deleted, except the newline OSPatrol keeps', () => {
  assert.equal(pd('prog: tab\there').fullLog, 'prog: tabhere');
  assert.equal(pd('a\rb\u0000c\u001fd\u007fe').fullLog, 'abcde');
  assert.equal(pd('line one\nline two').fullLog, 'line one\nline two');
  assert.equal(pd('é\u0080ü').fullLog, 'é\u0080ü'); // >= 0x80 kept
  assert.deepEqual(fields('Dec 29 10:00:01 h\tost p: m'), { hostname: 'host', programName: 'p', log: 'm' });
});

test('1.2.6 full_log is the whole cleaned message, log the part after the header', () => {
  const r = pd('Dec 29 10:00:01 host sshd[1]: Accepted');
  assert.equal(r.fullLog, 'Dec 29 10:00:01 host sshd[1]: Accepted');
  assert.equal(r.log, 'Accepted');
  assert.equal(r.location, '/var/log/messages');
});

test('1.2.8 agent events: location is `(name) ip->location` and is also the hostname', () => {
  const r = predecode(
    { location: '/var/log/secure', message: 'Dec 29 10:00:01 web1 sshd[1]: x', agent: { name: 'web1', ip: '10.0.0.5' } },
    HOST,
  );
  assert.equal(r.location, '(web1) 10.0.0.5->/var/log/secure');
  assert.equal(r.hostname, '(web1) 10.0.0.5->/var/log/secure');
  assert.equal(r.programName, 'sshd');
  assert.equal(r.log, 'x');
  const again = predecode({ location: r.location, message: 'x', agent: { name: 'web1', ip: '10.0.0.5' } }, HOST);
  assert.equal(again.location, r.location);
});

test('1.2.8 without a header the local short hostname is used', () => {
  assert.equal(pd('plain message').hostname, HOST);
  assert.equal(pd('plain message').log, 'plain message');
});
