import type { EmailAlertsConfig, GlobalConfig } from '../model.js';
import { address, integer, nonEmpty, text, yesNo, type ErrorCollector } from '../values.js';
import type { XmlElement } from '../xml.js';

const GLOBAL_ELEMENTS = new Set([
  'logall',
  'logall_json',
  'jsonout_output',
  'alerts_log',
  'email_notification',
  'email_to',
  'email_from',
  'smtp_server',
  'email_maxperhour',
  'email_reply_to',
  'email_idsname',
  'smtp_port',
  'auth_smtp',
  'smtp_user',
  'smtp_password',
  'secure_smtp',
  'helo_server',
  'white_list',
  'memory_size',
  'stats',
  'host_information',
  'prelude_output',
  'zeromq_output',
  'custom_alert_output',
  'geoip_db_path',
  'picviz_output',
  'compress_alerts',
  'rotate_interval',
  'max_output_size',
  // OSPatrol's own:
  'command_prefix',
  'hostname',
]);

export function defaultGlobal(): GlobalConfig {
  return {
    logall: false,
    jsonoutOutput: true,
    commandPrefix: 'ospatrol',
    emailNotification: false,
    emailTo: [],
    emailFrom: undefined,
    smtpServer: undefined,
    emailMaxPerHour: 12,
    smtpPort: undefined,
    smtpUser: undefined,
    smtpPassword: undefined,
    secureSmtp: false,
    emailReplyTo: undefined,
    emailIdsname: undefined,
    heloServer: undefined,
    whiteList: [],
    hostname: undefined,
    memorySize: 8192,
  };
}

/**
 * Reads one `<global>` into `g`. Returns this section's last `<email_notification>`, where a
 * missing mail setting is reported (see `checkEmail`).
 */
export function readGlobal(c: ErrorCollector, section: XmlElement, g: GlobalConfig): XmlElement | undefined {
  let emailNotificationEl: XmlElement | undefined;
  for (const el of section.children) {
    if (!GLOBAL_ELEMENTS.has(el.name)) {
      c.error(el, `unknown option in <global>`);
      continue;
    }
    switch (el.name) {
      case 'logall':
        g.logall = yesNo(c, el) ?? g.logall;
        break;
      case 'jsonout_output':
        g.jsonoutOutput = yesNo(c, el) ?? g.jsonoutOutput;
        break;
      case 'email_notification':
        g.emailNotification = yesNo(c, el) ?? g.emailNotification;
        emailNotificationEl = el;
        break;
      case 'email_to': {
        const to = address(c, el);
        if (to) g.emailTo.push(to);
        break;
      }
      case 'email_from':
        g.emailFrom = address(c, el);
        break;
      case 'email_reply_to':
        g.emailReplyTo = address(c, el);
        break;
      case 'email_idsname':
        g.emailIdsname = nonEmpty(c, el);
        break;
      case 'smtp_server': {
        const v = text(el);
        // A host name or address, or (OSSEC) the path of a sendmail-compatible program.
        if (!/^(\/\S+|[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])$/.test(v)) c.error(el, `must be a host name, an address or the absolute path of a sendmail program, got "${v}"`);
        else g.smtpServer = v;
        break;
      }
      case 'smtp_port':
        g.smtpPort = integer(c, el, 1, 65535) ?? g.smtpPort;
        break;
      case 'auth_smtp':
        yesNo(c, el);
        break;
      case 'smtp_user':
        g.smtpUser = nonEmpty(c, el);
        break;
      case 'smtp_password':
        // Kept as written (spaces may be part of it); never echoed in a message.
        g.smtpPassword = el.text;
        break;
      case 'secure_smtp':
        g.secureSmtp = yesNo(c, el) ?? g.secureSmtp;
        break;
      case 'helo_server':
        g.heloServer = nonEmpty(c, el);
        break;
      case 'email_maxperhour':
        g.emailMaxPerHour = integer(c, el, 1, 9999) ?? g.emailMaxPerHour;
        break;
      case 'white_list':
        g.whiteList.push(text(el));
        break;
      case 'memory_size':
        g.memorySize = integer(c, el, 16, 10_000_000) ?? g.memorySize;
        break;
      case 'command_prefix': {
        const v = text(el);
        if (v !== 'ospatrol' && v !== 'ossec') c.error(el, `must be "ospatrol" or "ossec", got "${v}"`);
        else g.commandPrefix = v;
        break;
      }
      case 'hostname': {
        const v = text(el);
        if (!/^[A-Za-z0-9._@()/-]+$/.test(v)) c.error(el, `is not a valid host name: "${v}"`);
        else g.hostname = v;
        break;
      }
      default:
        // Known OSSEC options that OSPatrol stores nowhere yet (stats, prelude, ...).
        break;
    }
  }
  return emailNotificationEl;
}

/** With e-mail on, a mail must be sendable: a server, a sender, and someone to send to. */
export function checkEmail(
  c: ErrorCollector,
  g: GlobalConfig,
  granular: EmailAlertsConfig[],
  el: XmlElement | undefined,
): void {
  if (!g.emailNotification || !el) return;
  if (g.smtpServer === undefined) c.error(el, 'e-mail is on but <global> has no valid <smtp_server>');
  if (g.emailFrom === undefined) c.error(el, 'e-mail is on but <global> has no valid <email_from>');
  if (g.emailTo.length === 0 && granular.length === 0) c.error(el, 'e-mail is on but there is no <email_to> in <global> and no <email_alerts> block');
  if ((g.smtpUser === undefined) !== (g.smtpPassword === undefined)) c.error(el, '<smtp_user> and <smtp_password> go together');
}
