import type { Transporter } from 'nodemailer';
import type { Alert } from '../../alerts/alert.js';
import type { EmailAlertsConfig, GlobalConfig } from '../../config/model.js';
import type { Logger } from '../../runtime/logger.js';
import { compileAlertFilter, type AlertFilter } from '../alert-filter.js';
import { backoffDelay } from '../delivery/backoff.js';
import type { Output } from '../delivery/output.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { fullMail, smsMail, type MailText } from './email-format.js';

/**
 * Alert mails (ossec-platform.md 3.3), as a journal consumer that holds alerts back while it
 * groups them, and acknowledges an alert only once the mail holding it is accepted by the SMTP
 * server: a mail that cannot be sent is retried (back-off up to 5 minutes) instead of dropped as
 * OSSEC does, and after a crash the unsent alerts are read from the journal again.
 *
 * Which alerts: those with the alerts.log ` mail ` marker (`rule.mail`: level >= email_alert_level
 * or `alert_by_email`, minus `no_email_alert`), as in OSSEC. The global `email_to` recipients get
 * every one; each `<email_alerts>` block's recipients get those matching all its criteria, in
 * their own mails (full or sms format).
 *
 * Grouping: an alert waits up to `groupDelayMs` (10 s, OSSEC's 2 x 5 s) for others to the same
 * recipients and they go as one mail (at most 96 alerts, OSSEC's list size); `do_not_delay` sends
 * at once, `do_not_group` and `sms` send one mail per alert. `email_maxperhour` caps mails per
 * clock hour; past it, mails wait for the next hour and then go merged, one per recipient set.
 * The hour's count is saved with the cursor, so a restart does not reset it.
 */
export interface EmailOutputOptions {
  global: GlobalConfig;
  granular: readonly EmailAlertsConfig[];
  logger: Logger;
  groupDelayMs?: number;
  now?: () => number;
  /** For tests: a nodemailer transport to use instead of one built from the configuration. */
  transport?: Transporter;
}

interface Recipients {
  to: string[];
  format: 'full' | 'sms';
  delayMs: number;
  group: boolean;
  filter: AlertFilter | undefined;
  /** Which recipient set (for merging held mails). */
  id: number;
}

interface PendingMail {
  rcpt: Recipients;
  entries: JournalEntry[];
  dueAt: number;
  /** Over the hourly limit: waits for the next hour. */
  held: boolean;
  sending: boolean;
}

const MAIL_LIST_SIZE = 96;
const HOUR_MS = 3_600_000;

export class EmailOutput implements Output {
  readonly name = 'email';
  readonly target: string;
  readonly local = false;
  readonly eagerCommit = true;
  private readonly recipients: Recipients[] = [];
  /** Built at the first mail: nodemailer loads only when a mail is actually sent. */
  private transport: Transporter | undefined;
  private readonly makeTransport: () => Promise<Transporter>;
  private readonly from: { name: string; address: string };
  private readonly now: () => number;
  private readonly log: Logger;
  private pending: PendingMail[] = [];
  private highestSeen = 0;
  private hour = { hour: 0, sent: 0 };
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private failures = 0;
  private error: string | undefined;
  private wake: () => void = () => {};
  private closed = false;

  constructor(private readonly opts: EmailOutputOptions) {
    const g = opts.global;
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
    const delay = opts.groupDelayMs ?? 10_000;
    if (g.emailTo.length > 0) this.recipients.push({ id: 0, to: [...g.emailTo], format: 'full', delayMs: delay, group: true, filter: undefined });
    opts.granular.forEach((b, i) =>
      this.recipients.push({
        id: i + 1,
        to: [...b.to],
        format: b.format,
        delayMs: b.doNotDelay ? 0 : delay,
        group: b.format === 'full' && !b.doNotGroup,
        filter: compileAlertFilter({ level: b.level, group: b.group, ruleIds: b.ruleIds, location: b.eventLocation }),
      }),
    );
    this.from = { name: 'OSPatrol HIDS', address: g.emailFrom ?? 'ospatrol@localhost' };
    const server = g.smtpServer ?? 'localhost';
    const sendmail = server.startsWith('/');
    const port = g.smtpPort ?? (g.secureSmtp ? 465 : 25);
    this.target = sendmail ? `sendmail:${server}` : `smtp${g.secureSmtp ? 's' : ''}://${server}:${port}`;
    this.transport = opts.transport;
    this.makeTransport = async () => {
      const { default: nodemailer } = await import('nodemailer');
      return sendmail
        ? nodemailer.createTransport({ sendmail: true, path: server })
        : nodemailer.createTransport({
            host: server,
            port,
            secure: g.secureSmtp,
            name: g.heloServer,
            auth: g.smtpUser !== undefined ? { user: g.smtpUser, pass: g.smtpPassword ?? '' } : undefined,
            connectionTimeout: 10_000,
            greetingTimeout: 10_000,
            socketTimeout: 30_000,
          });
    };
  }

  setWake(wake: () => void): void {
    this.wake = wake;
  }

  deliver(entries: readonly JournalEntry[]): void {
    const now = this.now();
    for (const e of entries) {
      if (e.seq <= this.highestSeen) continue;
      this.highestSeen = e.seq;
      if (e.alert?.rule?.mail !== true) continue;
      if (!Number.isFinite(e.alert.timestamp)) {
        // Its mail could never be written (no date): retrying would block every later mail.
        this.log.error('output: alert refused', { output: this.name, alert: e.alert.id, error: 'timestamp is not a time' });
        continue;
      }
      for (const r of this.recipients) {
        if (r.filter && !r.filter(e.alert)) continue;
        const open = r.group ? this.pending.find((m) => m.rcpt === r && !m.sending && !m.held && m.entries.length < MAIL_LIST_SIZE) : undefined;
        if (open) open.entries.push(e);
        else this.pending.push({ rcpt: r, entries: [e], dueAt: now + r.delayMs, held: false, sending: false });
      }
    }
    this.schedule();
  }

  acknowledged(): number {
    let min = Infinity;
    for (const m of this.pending) for (const e of m.entries) if (e.seq < min) min = e.seq;
    return min === Infinity ? this.highestSeen : min - 1;
  }

  lastError(): string | undefined {
    return this.error;
  }

  cursorState(): { hour: number; sent: number } {
    return { ...this.hour };
  }

  recover(state: unknown): number {
    const s = state as { hour?: unknown; sent?: unknown } | null;
    if (s && typeof s.hour === 'number' && typeof s.sent === 'number') this.hour = { hour: s.hour, sent: s.sent };
    return 0;
  }

  /** Stop: send what waits for its group delay now (not what waits for the hourly limit). */
  async flush(): Promise<void> {
    for (const m of this.pending) if (!m.held) m.dueAt = 0;
    for (let i = 0; i < 1000 && this.pending.some((m) => !m.held); i++) {
      const before = this.pending.length;
      await this.tick();
      if (this.failures > 0) throw new Error(this.error ?? 'mail failed');
      if (this.pending.length === before) break;
    }
  }

  reset(): void {
    this.pending = this.pending.filter((m) => m.sending);
    this.highestSeen = this.acknowledged();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    this.transport?.close();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.now();
    let at = Infinity;
    for (const m of this.pending) {
      if (m.sending) continue;
      at = Math.min(at, m.held ? (this.currentHour(now) + 1) * HOUR_MS : m.dueAt);
    }
    if (at === Infinity) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, at - now));
  }

  private currentHour(now: number): number {
    return Math.floor(now / HOUR_MS);
  }

  /** Sends every mail that is due, within the hourly limit. */
  private tick(): Promise<void> {
    this.ticking ??= this.sendDue().finally(() => {
      this.ticking = undefined;
      this.schedule();
      this.wake();
    });
    return this.ticking;
  }

  private async sendDue(): Promise<void> {
    const now = this.now();
    const hour = this.currentHour(now);
    if (hour !== this.hour.hour) {
      this.hour = { hour, sent: 0 };
      this.releaseHeld();
    }
    for (const m of [...this.pending]) {
      if (m.held || m.dueAt > now || this.closed) continue;
      if (this.hour.sent >= this.opts.global.emailMaxPerHour) {
        m.held = true;
        continue;
      }
      m.sending = true;
      try {
        await this.send(m);
        this.pending = this.pending.filter((p) => p !== m);
        this.hour.sent++;
        if (this.failures > 0) this.log.info('email: sending again', { target: this.target });
        this.failures = 0;
        this.error = undefined;
      } catch (err) {
        m.sending = false;
        this.failures++;
        this.error = (err as Error)?.message ?? String(err);
        const retry = backoffDelay(this.failures, { initialMs: 1000, maxMs: 300_000 });
        for (const p of this.pending) if (!p.held && p.dueAt <= now) p.dueAt = now + retry;
        if (this.failures === 1 || this.failures % 10 === 0) {
          this.log.error('email: sending failed; the alerts wait and the mail is retried', {
            target: this.target,
            error: this.error,
            retry_in_ms: retry,
            waiting_mails: this.pending.length,
          });
        }
        return;
      }
    }
  }

  /** At the hour change, held mails go out merged: one per recipient set (and format). */
  private releaseHeld(): void {
    const held = this.pending.filter((m) => m.held);
    if (held.length === 0) return;
    this.pending = this.pending.filter((m) => !m.held);
    const merged = new Map<number, PendingMail[]>();
    for (const m of held) {
      const list = merged.get(m.rcpt.id) ?? [];
      const last = list[list.length - 1];
      if (last && m.rcpt.format === 'full' && last.entries.length + m.entries.length <= MAIL_LIST_SIZE) last.entries.push(...m.entries);
      else list.push({ ...m, entries: [...m.entries], held: false, dueAt: 0 });
      merged.set(m.rcpt.id, list);
    }
    this.pending = [...[...merged.values()].flat(), ...this.pending];
  }

  private async send(m: PendingMail): Promise<void> {
    const alerts: Alert[] = m.entries.map((e) => e.alert);
    const text: MailText = m.rcpt.format === 'sms' ? smsMail(alerts[0]) : fullMail(alerts);
    const g = this.opts.global;
    this.transport ??= await this.makeTransport();
    await this.transport.sendMail({
      from: this.from,
      to: m.rcpt.to,
      replyTo: g.emailReplyTo,
      subject: text.subject,
      text: text.text,
      headers: g.emailIdsname !== undefined ? { 'X-IDS-OSSEC': g.emailIdsname } : undefined,
    });
  }
}
