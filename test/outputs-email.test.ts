/**
 * The e-mail output against a real SMTP server on loopback (smtp-server + mailparser): grouping,
 * granular <email_alerts> (sms, do_not_group, do_not_delay, filters), email_maxperhour, an SMTP
 * server that is down (alerts wait, nothing is lost) and credentials that never reach a log.
 */
process.env.TZ = 'UTC';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../src/alerts/alert.js';
import type { EmailAlertsConfig, GlobalConfig } from '../src/config/model.js';
import type { Logger } from '../src/runtime/logger.js';
import { CursorStore } from '../src/sinks/delivery/cursor-store.js';
import { OutputRunner } from '../src/sinks/delivery/output-runner.js';
import { EmailOutput } from '../src/sinks/email/email-output.js';
import { AlertJournal } from '../src/sinks/journal/alert-journal.js';
import { checkDiffAlert, sshdAlert } from '../src/test-support/alert-fixtures.js';
import { waitFor } from './support/local-process.js';
import { smtpReceiver, type ReceivedMail } from './support/smtp-receiver.js';

function global(port: number, over: Partial<GlobalConfig> = {}): GlobalConfig {
  return {
    logall: false,
    jsonoutOutput: true,
    commandPrefix: 'ospatrol',
    emailNotification: true,
    emailTo: ['soc@example.com'],
    emailFrom: 'ospatrol@example.com',
    smtpServer: '127.0.0.1',
    emailMaxPerHour: 12,
    smtpPort: port,
    smtpUser: undefined,
    smtpPassword: undefined,
    secureSmtp: false,
    emailReplyTo: undefined,
    emailIdsname: undefined,
    heloServer: undefined,
    whiteList: [],
    hostname: undefined,
    memorySize: 8192,
    ...over,
  };
}

function granular(over: Partial<EmailAlertsConfig>): EmailAlertsConfig {
  return {
    file: 'x',
    line: 1,
    to: ['pager@example.com'],
    level: undefined,
    group: undefined,
    eventLocation: undefined,
    ruleIds: undefined,
    format: 'full',
    doNotDelay: false,
    doNotGroup: false,
    ...over,
  };
}

function logCollector(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => lines.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, text: () => lines.join('\n') };
}

/** A journal and a delivery loop around the output, as the runtime wires it. */
function harness(output: EmailOutput): { journal: AlertJournal; runner: OutputRunner; cursors: CursorStore; stop: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'osp-mail-'));
  const journal = AlertJournal.open({ dir: join(dir, 'journal') });
  const cursors = new CursorStore(join(dir, 'cursors'));
  const runner = new OutputRunner({ output, journal, cursors, logger: logCollector().logger, backoff: { initialMs: 20, maxMs: 200 } });
  runner.start();
  return {
    journal,
    runner,
    cursors,
    stop: async () => {
      await runner.stop(2000);
      journal.close();
    },
  };
}

const mailed = (a: Partial<Alert> = {}): Alert => {
  const base = sshdAlert(a);
  return { ...base, rule: { ...base.rule, mail: true, ...(a.rule ?? {}) } };
};

const ids = (m: ReceivedMail): string[] => [...(m.parsed.text ?? '').matchAll(/^Rule: (\d+) fired/gm)].map((x) => x[1]);

test('alerts to the same recipients within the delay go as one mail, under the highest level; unmarked alerts are not mailed', async () => {
  const smtp = await smtpReceiver();
  const output = new EmailOutput({ global: global(smtp.port, { emailIdsname: 'edge-1', emailReplyTo: 'noc@example.com' }), granular: [], logger: logCollector().logger, groupDelayMs: 300 });
  const h = harness(output);
  try {
    h.journal.append(mailed({ id: 'a1', fullLog: "first 'quoted' \"log\" 😀" }));
    h.journal.append(sshdAlert({ id: 'not-marked' }));
    h.journal.append(checkDiffAlert({ id: 'a3', rule: { ...checkDiffAlert().rule, level: 10 }, diff: { added: ['tcp 0.0.0.0:8080'], removed: [], unified: '+tcp 0.0.0.0:8080' } }));
    h.journal.append(mailed({ id: 'a4', rule: { ...sshdAlert().rule, id: 5716, mail: true, description: 'SSHD authentication failed.' } }));
    await waitFor('one mail', () => smtp.mails.length >= 1, 5000);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(smtp.mails.length, 1);
    const m = smtp.mails[0];
    assert.deepEqual(m.envelopeTo, ['soc@example.com']);
    assert.equal(m.parsed.subject, 'OSPatrol Alert - vm - Level 10 - Listened ports status (netstat) changed (new port opened or closed). (3 alerts)');
    assert.equal(m.parsed.from?.text, '"OSPatrol HIDS" <ospatrol@example.com>');
    assert.equal(m.parsed.replyTo?.text, 'noc@example.com');
    assert.equal(m.parsed.headers.get('x-ids-ossec'), 'edge-1');
    assert.deepEqual(ids(m), ['5503', '533', '5716']);
    const text = m.parsed.text ?? '';
    assert.match(text, /Received From: fw1->10\.1\.1\.1\nRule: 5503 fired \(level 5\) -> "User login failed\."\nSrc IP: 1\.2\.3\.4\nUser: root\nPortion of the log\(s\):\n\nfirst 'quoted' "log" 😀\n/);
    assert.match(text, /Changes:\n\+tcp 0\.0\.0\.0:8080/);
    assert.equal((text.match(/--END OF NOTIFICATION/g) ?? []).length, 3);
    await waitFor('cursor at the end', () => h.cursors.read('email')?.seq === 4, 2000);
  } finally {
    await h.stop();
    await smtp.close();
  }
});

test('granular blocks: sms and do_not_group send one mail per alert, do_not_delay at once; criteria must all match', async () => {
  const smtp = await smtpReceiver();
  const output = new EmailOutput({
    global: global(smtp.port, { emailTo: [] }),
    granular: [
      granular({ to: ['pager@example.com'], level: 10, format: 'sms', doNotDelay: true }),
      granular({ to: ['web@example.com', 'ops@example.com'], group: 'sshd', eventLocation: '^fw1->', doNotGroup: true }),
      granular({ to: ['rules@example.com'], ruleIds: [5716] }),
    ],
    logger: logCollector().logger,
    groupDelayMs: 60_000,
  });
  const h = harness(output);
  try {
    h.journal.append(mailed({ id: 'hi', rule: { ...sshdAlert().rule, level: 12, mail: true }, hostname: 'fw2', fullLog: 'x'.repeat(300) }));
    h.journal.append(mailed({ id: 's1' }));
    h.journal.append(mailed({ id: 's2', rule: { ...sshdAlert().rule, id: 5716, mail: true } }));
    // pager: sms at once; web/ops: s1 and s2 separately (after the delay, so not yet); rules: waits 60 s.
    await waitFor('sms', () => smtp.mails.some((m) => m.envelopeTo.includes('pager@example.com')), 5000);
    const sms = smtp.mails.find((m) => m.envelopeTo.includes('pager@example.com'))!;
    assert.equal(sms.parsed.subject, 'OSPatrol 12 - 5503 - User login failed.');
    assert.equal(sms.parsed.text?.trim(), 'x'.repeat(128));
    assert.equal(smtp.mails.length, 1);
    // Stopping flushes what waits for its group delay: web/ops get two mails, rules one.
    await h.stop();
    const web = smtp.mails.filter((m) => m.envelopeTo.join() === 'web@example.com,ops@example.com');
    assert.deepEqual(web.map(ids), [['5503'], ['5716']]);
    const rules = smtp.mails.filter((m) => m.envelopeTo.includes('rules@example.com'));
    assert.deepEqual(rules.map(ids), [['5716']]);
    assert.equal(smtp.mails.length, 4);
  } finally {
    await smtp.close();
  }
});

test('email_maxperhour: past the limit mails wait for the next hour and then go as one', async () => {
  const smtp = await smtpReceiver();
  // A clock 400 ms before an hour boundary.
  const start = Date.now();
  const base = (Math.floor(start / 3_600_000) + 1) * 3_600_000 - 400;
  const output = new EmailOutput({
    global: global(smtp.port, { emailMaxPerHour: 2, emailTo: [] }),
    granular: [granular({ to: ['soc@example.com'], doNotGroup: true, doNotDelay: true })],
    logger: logCollector().logger,
    now: () => base + (Date.now() - start),
  });
  const h = harness(output);
  try {
    for (let i = 0; i < 5; i++) h.journal.append(mailed({ id: `m${i}`, fullLog: `log ${i}` }));
    await waitFor('two mails', () => smtp.mails.length >= 2, 5000);
    assert.equal(smtp.mails.length, 2);
    assert.equal(h.cursors.read('email')?.seq, 2, 'held alerts are not acknowledged');
    await waitFor('the held three in one mail after the hour', () => smtp.mails.length >= 3, 5000);
    assert.equal(smtp.mails.length, 3);
    assert.match(smtp.mails[2].parsed.text ?? '', /log 2[\s\S]*log 3[\s\S]*log 4/);
    await waitFor('acknowledged', () => h.cursors.read('email')?.seq === 5, 2000);
  } finally {
    await h.stop();
    await smtp.close();
  }
});

test('SMTP server down: alerts wait (not acknowledged, error visible), then arrive; the password is never logged', async () => {
  const secret = `pa'ss "w0rd" \\ secret`;
  const smtp = await smtpReceiver({ user: 'relay', password: secret });
  const { logger, text } = logCollector();
  const output = new EmailOutput({ global: global(smtp.port, { smtpUser: 'relay', smtpPassword: secret }), granular: [], logger, groupDelayMs: 50 });
  await smtp.down();
  const h = harness(output);
  try {
    h.journal.append(mailed({ id: 'd1' }));
    h.journal.append(mailed({ id: 'd2' }));
    await waitFor('failure visible', () => h.runner.status().lastError !== undefined, 5000);
    assert.equal(h.runner.status().seq, 0);
    assert.equal(h.runner.status().lag, 2);
    assert.match(h.cursors.read('email')?.lastError ?? h.runner.status().lastError ?? '', /ECONNREFUSED/);
    await smtp.up();
    await waitFor('the mail', () => smtp.mails.length >= 1, 10_000);
    assert.deepEqual(ids(smtp.mails[0]), ['5503', '5503']);
    await waitFor('acknowledged', () => h.cursors.read('email')?.seq === 2, 2000);
    assert.equal(smtp.authFailures, 0);
    assert.match(text(), /email: sending failed/);
    assert.doesNotMatch(text(), /w0rd|secret/);
  } finally {
    await h.stop();
    await smtp.close();
  }
});
