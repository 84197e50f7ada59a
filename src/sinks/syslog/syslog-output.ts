import type { SyslogOutputConfig } from '../../config/model.js';
import type { Logger } from '../../runtime/logger.js';
import { compileAlertFilter, type AlertFilter } from '../alert-filter.js';
import { outputSlug } from '../delivery/cursor-store.js';
import type { Output } from '../delivery/output.js';
import type { JournalEntry } from '../journal/journal-entry.js';
import { formatSyslogMessage } from './syslog-format.js';
import { rfc5424, rfc5424HeaderBytes } from './rfc5424.js';
import { createSyslogTransport, type SyslogTransport } from './syslog-transport.js';

/**
 * One `<syslog_output>`: the alerts that pass its filters, formatted (syslog-format.ts), as RFC 5424
 * messages (rfc5424.ts) over UDP, TCP or TLS (syslog-transport.ts). A failed send rejects the
 * batch; the delivery loop retries it with back-off.
 */
export class SyslogOutput implements Output {
  readonly name: string;
  readonly target: string;
  readonly local = false;
  private readonly filter: AlertFilter;
  private readonly transport: SyslogTransport;
  private readonly maxMsgBytes: number;

  constructor(
    private readonly cfg: SyslogOutputConfig,
    private readonly ctx: { hostname: string; version: string; logger: Logger },
  ) {
    this.target = `syslog+${cfg.protocol}://${cfg.server}:${cfg.port} (${cfg.format})`;
    this.name = outputSlug(`syslog-${cfg.protocol}-${cfg.server}-${cfg.port}-${cfg.format}`);
    this.filter = compileAlertFilter({ level: cfg.level, group: cfg.group, ruleIds: cfg.ruleIds, location: cfg.location });
    this.transport = createSyslogTransport({ protocol: cfg.protocol, host: cfg.server, port: cfg.port, tlsVerify: cfg.tlsVerify, tlsCa: cfg.tlsCa });
    this.maxMsgBytes = Math.max(64, cfg.maxSize - rfc5424HeaderBytes(ctx.hostname));
  }

  async deliver(entries: readonly JournalEntry[]): Promise<void> {
    const messages: string[] = [];
    for (const { alert } of entries) {
      try {
        if (!this.filter(alert)) continue;
        const msg = formatSyslogMessage(alert, { format: this.cfg.format, hostname: this.ctx.hostname, version: this.ctx.version, maxBytes: this.maxMsgBytes });
        messages.push(rfc5424({ timestamp: alert.timestamp, hostname: this.ctx.hostname, msg }));
      } catch (err) {
        // Bad alert data (a timestamp that is not a time): retrying would fail forever.
        this.ctx.logger.error('output: alert refused', { output: this.name, alert: alert?.id, error: err });
      }
    }
    if (messages.length > 0) await this.transport.send(messages);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
