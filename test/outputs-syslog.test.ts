/**
 * The syslog output against real receivers on loopback: UDP, TCP and TLS, each format, filters,
 * truncation, and a receiver that is down and comes back (the delivery loop retries).
 */
process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../src/alerts/alert.js';
import type { SyslogOutputConfig } from '../src/config/model.js';
import { silentLogger } from '../src/runtime/logger.js';
import { CursorStore } from '../src/sinks/delivery/cursor-store.js';
import { OutputRunner } from '../src/sinks/delivery/output-runner.js';
import { AlertJournal } from '../src/sinks/journal/alert-journal.js';
import { SyslogOutput } from '../src/sinks/syslog/syslog-output.js';
import { checkDiffAlert, sshdAlert } from '../src/test-support/alert-fixtures.js';
import { waitFor } from './support/local-process.js';
import { selfSignedCert, streamReceiver, udpReceiver } from './support/syslog-receiver.js';

const HOSTILE = `it's "q" back\\slash | pipe = eq; semi 100% $1 ?\nsecond line 😀 '); DROP TABLE x;--`;

function cfg(over: Partial<SyslogOutputConfig>): SyslogOutputConfig {
  return {
    file: 'test.conf',
    line: 1,
    server: '127.0.0.1',
    port: 514,
    format: 'default',
    protocol: 'udp',
    level: undefined,
    group: undefined,
    ruleIds: undefined,
    location: undefined,
    tlsVerify: true,
    tlsCa: undefined,
    maxSize: 8192,
    ...over,
  };
}

const ctx = { hostname: 'manager1', version: '0.1.0', logger: silentLogger };

function entries(alerts: Alert[]): Array<{ seq: number; alert: Alert }> {
  return alerts.map((alert, i) => ({ seq: i + 1, alert }));
}

/** `<132>1 TIMESTAMP HOST APP PROCID MSGID SD MSG` (RFC 5424). */
function parse5424(m: string): { pri: number; timestamp: string; host: string; app: string; msg: string } {
  const r = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) ([\s\S]*)$/.exec(m);
  assert.ok(r, `not RFC 5424: ${m}`);
  assert.match(r[2], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return { pri: Number(r[1]), timestamp: r[2], host: r[3], app: r[4], msg: r[8] };
}

/** A strict CEF parser (ArcSight's rules): 7 header fields split on unescaped `|`, then key=value extensions. */
function parseCef(msg: string): { header: string[]; ext: Record<string, string> } {
  const header: string[] = [];
  let i = 0;
  let cur = '';
  while (header.length < 7) {
    const c = msg[i++];
    assert.ok(c !== undefined, `CEF header ended early: ${msg}`);
    if (c === '\\') cur += msg[i++];
    else if (c === '|') {
      header.push(cur);
      cur = '';
    } else cur += c;
  }
  const rest = msg.slice(i);
  assert.doesNotMatch(rest, /[\r\n]/, 'no raw line break in extensions');
  const ext: Record<string, string> = {};
  // Keys are unescaped words followed by `=`; a value runs to the next ` key=`.
  const re = /(?:^| )([A-Za-z0-9_]+)=((?:\\.|[^\\=])*?)(?= [A-Za-z0-9_]+=|$)/g;
  let consumed = 0;
  for (const m of rest.matchAll(re)) {
    ext[m[1]] = m[2].replace(/\\(.)/g, (_x, ch: string) => (ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
    consumed += m[0].length;
  }
  assert.equal(consumed, rest.length, `CEF extensions not fully parsed: ${rest}`);
  return { header, ext };
}

test('UDP: each format arrives as RFC 5424; CEF and JSON parse back to the alert', async () => {
  const rx = await udpReceiver();
  try {
    const alert = sshdAlert({ id: '1795549508.7', fullLog: HOSTILE, fields: { srcip: '1.2.3.4', srcport: '50022', dstuser: 'ro|ot=x', srcuser: 'nobody' } });
    for (const format of ['default', 'cef', 'json', 'splunk'] as const) {
      const out = new SyslogOutput(cfg({ port: rx.port, format }), ctx);
      await out.deliver(entries([alert]));
      await out.close();
    }
    await waitFor('4 datagrams', () => rx.messages.length === 4, 5000);
    const [def, cef, json, splunk] = rx.messages.map(parse5424);
    for (const m of [def, cef, json, splunk]) {
      assert.equal(m.pri, 132);
      assert.equal(m.host, 'manager1');
      assert.equal(m.app, 'ospatrol');
      assert.equal(m.timestamp, '2026-11-24T19:45:08.000Z');
    }
    assert.equal(
      def.msg,
      `Alert Level: 5; Rule: 5503 - User login failed.; Location: fw1->10.1.1.1; classification: syslog,sshd,authentication_failed,; srcip: 1.2.3.4; user: ro|ot=x; ${HOSTILE}`,
    );

    const c = parseCef(cef.msg);
    assert.deepEqual(c.header, ['CEF:0', 'OSPatrol', 'OSPatrol', '0.1.0', '5503', 'User login failed.', '5']);
    assert.equal(c.ext.msg, HOSTILE);
    assert.equal(c.ext.duser, 'ro|ot=x');
    assert.equal(c.ext.src, '1.2.3.4');
    assert.equal(c.ext.spt, '50022');
    assert.equal(c.ext.cs1, 'fw1->10.1.1.1');
    assert.equal(c.ext.cs3, '1795549508.7');
    assert.equal(c.ext.dvchost, 'manager1');

    const j = JSON.parse(json.msg);
    assert.deepEqual(j, {
      crit: 5,
      id: 5503,
      alert_id: '1795549508.7',
      timestamp: '2026-11-24T19:45:08.000Z',
      component: 'fw1->10.1.1.1',
      classification: 'syslog,sshd,authentication_failed,',
      description: 'User login failed.',
      acct: 'ro|ot=x',
      src_ip: '1.2.3.4',
      src_port: '50022',
      message: HOSTILE,
    });

    const kv = Object.fromEntries(
      [...splunk.msg.matchAll(/(\w+)=(?:"((?:\\.|[^"\\])*)"|(\d+))/g)].map((m) => [m[1], m[3] ?? m[2].replace(/\\(.)/g, (_x, ch: string) => (ch === 'n' ? '\n' : ch))]),
    );
    assert.equal(kv.message, HOSTILE);
    assert.equal(kv.crit, '5');
    assert.equal(kv.component, 'fw1->10.1.1.1');
  } finally {
    await rx.close();
  }
});

test('filters: level, group (OS_Match), rule_id and location all have to match', async () => {
  const rx = await udpReceiver();
  try {
    const out = new SyslogOutput(cfg({ port: rx.port, format: 'json', level: 5, group: 'sshd|web', ruleIds: [5503, 533], location: '^fw1->' }), ctx);
    await out.deliver(
      entries([
        sshdAlert({ id: 'pass' }),
        sshdAlert({ id: 'low', rule: { ...sshdAlert().rule, level: 4 } }),
        sshdAlert({ id: 'rule', rule: { ...sshdAlert().rule, id: 5504 } }),
        sshdAlert({ id: 'loc', hostname: 'fw2' }),
        sshdAlert({ id: 'group', rule: { ...sshdAlert().rule, groupText: 'syslog,pam,' } }),
      ]),
    );
    await out.close();
    await waitFor('one datagram', () => rx.messages.length >= 1, 5000);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(rx.messages.map((m) => JSON.parse(parse5424(m).msg).alert_id), ['pass']);
  } finally {
    await rx.close();
  }
});

test('TCP: octet-counted frames keep multi-line logs whole; too long a log is cut and still parses', async () => {
  const rx = await streamReceiver('tcp');
  try {
    const big = checkDiffAlert({ fullLog: `${'x'.repeat(20_000)}\nend`, id: 'big' });
    const out = new SyslogOutput(cfg({ port: rx.port, protocol: 'tcp', format: 'json', maxSize: 2048 }), ctx);
    await out.deliver(entries([sshdAlert({ fullLog: HOSTILE }), big]));
    await out.close();
    await waitFor('2 frames', () => rx.messages.length === 2, 5000);
    assert.deepEqual(rx.errors, []);
    assert.equal(JSON.parse(parse5424(rx.messages[0]).msg).message, HOSTILE);
    assert.ok(Buffer.byteLength(rx.messages[1]) <= 2048, String(Buffer.byteLength(rx.messages[1])));
    const cut = JSON.parse(parse5424(rx.messages[1]).msg);
    assert.equal(cut.alert_id, 'big');
    assert.match(cut.message, /^x+ \[truncated\]$/);
  } finally {
    await rx.close();
  }
});

test('TLS with the server certificate as tls_ca: delivered; an untrusted certificate is refused', async () => {
  const cert = selfSignedCert();
  const rx = await streamReceiver('tls', { cert });
  try {
    const out = new SyslogOutput(cfg({ port: rx.port, protocol: 'tls', format: 'cef', tlsCa: cert.certFile }), ctx);
    await out.deliver(entries([sshdAlert({ fullLog: HOSTILE })]));
    await out.close();
    await waitFor('1 frame', () => rx.messages.length === 1, 5000);
    assert.equal(parseCef(parse5424(rx.messages[0]).msg).ext.msg, HOSTILE);

    const untrusted = new SyslogOutput(cfg({ port: rx.port, protocol: 'tls', format: 'cef' }), ctx);
    await assert.rejects(untrusted.deliver(entries([sshdAlert()])), /self[- ]signed|certificate/i);
    await untrusted.close();
    const noVerify = new SyslogOutput(cfg({ port: rx.port, protocol: 'tls', format: 'cef', tlsVerify: false }), ctx);
    await noVerify.deliver(entries([sshdAlert()]));
    await noVerify.close();
    await waitFor('2 frames', () => rx.messages.length === 2, 5000);
  } finally {
    await rx.close();
  }
});

test('a TCP receiver that is down: alerts wait in the journal and all arrive once it listens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osp-syslog-'));
  const journal = AlertJournal.open({ dir: join(dir, 'journal') });
  const cursors = new CursorStore(join(dir, 'cursors'));
  // Take a free port, then close it: nothing listens there yet.
  const probe = await streamReceiver('tcp');
  const port = probe.port;
  await probe.close();
  const output = new SyslogOutput(cfg({ port, protocol: 'tcp', format: 'json' }), ctx);
  const runner = new OutputRunner({ output, journal, cursors, logger: silentLogger, backoff: { initialMs: 20, maxMs: 200 } });
  runner.start();
  for (let i = 0; i < 20; i++) journal.append(sshdAlert({ id: `1.${i}` }));
  await waitFor('failing', () => runner.status().failing, 5000);
  assert.equal(runner.status().lag, 20);
  assert.match(runner.status().lastError ?? '', /ECONNREFUSED/);
  const rx = await streamReceiver('tcp', { port });
  try {
    await waitFor('all 20', () => rx.messages.length >= 20, 10_000);
    const ids = rx.messages.map((m) => JSON.parse(parse5424(m).msg).alert_id);
    assert.deepEqual([...new Set(ids)], Array.from({ length: 20 }, (_, i) => `1.${i}`));
    assert.equal(runner.status().lag, 0);
  } finally {
    await runner.stop(1000);
    journal.close();
    await rx.close();
  }
});
