import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigErrors, ErrorCodes, OspatrolError } from '../errors.js';
import { compileOsMatch } from '../analysis/matchers/os-match.js';
import type {
  AlertsConfig,
  CommandConfig,
  DatabaseOutputConfig,
  EmailAlertsConfig,
  GlobalConfig,
  LocalfileConfig,
  LogFormat,
  LogfileConfig,
  OspatrolConfig,
  RulesConfig,
  SyslogFormat,
  SyslogOutputConfig,
} from './model.js';
import { applyVariables, attribute, parseXml, type XmlElement } from './xml.js';

/**
 * Reads `ospatrol.conf` / `ossec.conf`. Every problem in the file is collected and reported
 * together, each as `file:line: <element>: reason`; a config with any error does not start.
 */
export function loadConfig(file: string): OspatrolConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigErrors([
      new OspatrolError(ErrorCodes.CONFIG_MISSING_FILE, `cannot read configuration: ${(e as Error).message}`, { file }),
    ]);
  }
  const errors: OspatrolError[] = [];
  let roots: XmlElement[] = [];
  try {
    roots = applyVariables(parseXml(text, file), file);
  } catch (e) {
    if (e instanceof OspatrolError) throw new ConfigErrors([e]);
    throw e;
  }
  const r = new ConfigReader(file, dirname(path), errors);
  const config = r.read(roots);
  if (errors.length > 0) {
    errors.sort((a, b) => (a.position.line ?? 0) - (b.position.line ?? 0));
    throw new ConfigErrors(errors);
  }
  return { ...config, file: path };
}

/** Top-level sections OSSEC knows that OSPatrol does not act on yet: accepted, reported as ignored. */
const KNOWN_UNSUPPORTED_SECTIONS = new Set([
  'syscheck',
  'rootcheck',
  'command',
  'active-response',
  'remote',
  'client',
  'reports',
  'agentless',
  'integration',
  'auth',
  'cluster',
  'logging',
  'labels',
  'socket',
  'wodle',
  'ruleset',
  'vulnerability-detector',
  'sca',
  'open-scap',
  'rootcheck_logs',
]);

const LOG_FORMATS = new Set<string>([
  'syslog',
  'command',
  'full_command',
  'snort-full',
  'snort-fast',
  'squid',
  'apache',
  'iis',
  'nmapg',
  'mysql_log',
  'postgresql_log',
  'djb-multilog',
  'eventlog',
  'eventchannel',
  'ossecalert',
  'ospatrolalert',
  'json',
  'audit',
]);

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

class ConfigReader {
  readonly warnings: string[] = [];
  /** The last `<email_notification>`, where a missing mail setting is reported. */
  private emailNotificationEl: XmlElement | undefined;
  constructor(
    private readonly file: string,
    private readonly dir: string,
    private readonly errors: OspatrolError[],
  ) {}

  private error(el: XmlElement, reason: string, element = el.name): void {
    this.errors.push(new OspatrolError(ErrorCodes.CONFIG_INVALID, reason, { file: el.file, line: el.line, element }));
  }

  read(roots: XmlElement[]): Omit<OspatrolConfig, 'file'> {
    const global: GlobalConfig = {
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
    const alerts: AlertsConfig = { logAlertLevel: 1, emailAlertLevel: 7 };
    const rulesEls: XmlElement[] = [];
    const localfiles: LocalfileConfig[] = [];
    const databaseOutputs: DatabaseOutputConfig[] = [];
    const syslogOutputs: SyslogOutputConfig[] = [];
    const emailAlerts: EmailAlertsConfig[] = [];
    for (const root of roots) {
      if (root.name !== 'ossec_config' && root.name !== 'ospatrol_config') {
        this.error(root, 'the root element must be <ospatrol_config> or <ossec_config>');
        continue;
      }
      for (const section of root.children) {
        switch (section.name) {
          case 'global':
            this.readGlobal(section, global);
            break;
          case 'alerts':
            this.readAlerts(section, alerts);
            break;
          case 'rules':
            rulesEls.push(section);
            break;
          case 'localfile': {
            const lf = this.readLocalfile(section);
            if (lf) localfiles.push(lf);
            break;
          }
          case 'database_output': {
            const db = this.readDatabaseOutput(section);
            if (db) databaseOutputs.push(db);
            break;
          }
          case 'syslog_output': {
            const sl = this.readSyslogOutput(section);
            if (sl) syslogOutputs.push(sl);
            break;
          }
          case 'email_alerts': {
            const ea = this.readEmailAlerts(section);
            if (ea) emailAlerts.push(ea);
            break;
          }
          default:
            if (!KNOWN_UNSUPPORTED_SECTIONS.has(section.name)) {
              this.error(section, `unknown section (expected global, alerts, rules, localfile or another OSSEC section)`);
            }
        }
      }
    }
    const rules = this.readRules(rulesEls);
    this.checkEmail(global, emailAlerts);
    return { global, alerts, rules, localfiles, databaseOutputs, syslogOutputs, emailAlerts };
  }

  private text(el: XmlElement): string {
    return el.text.trim();
  }

  private yesNo(el: XmlElement): boolean | undefined {
    const v = this.text(el).toLowerCase();
    if (v === 'yes') return true;
    if (v === 'no') return false;
    this.error(el, `must be "yes" or "no", got "${this.text(el)}"`);
    return undefined;
  }

  private integer(el: XmlElement, min: number, max: number): number | undefined {
    const v = this.text(el);
    if (!/^\d+$/.test(v)) {
      this.error(el, `must be a whole number, got "${v}"`);
      return undefined;
    }
    const n = Number(v);
    if (n < min || n > max) {
      this.error(el, `must be between ${min} and ${max}, got ${n}`);
      return undefined;
    }
    return n;
  }

  /** Seconds, with an optional unit (`90`, `90s`, `10m`, `2h`, `1d`) or `hourly` / `daily`. */
  private seconds(el: XmlElement, min: number): number | undefined {
    const v = this.text(el).toLowerCase();
    if (v === 'hourly') return 3600;
    if (v === 'daily') return 86400;
    const m = /^(\d+)\s*([smhd]?)$/.exec(v);
    if (!m) {
      this.error(el, `must be a number of seconds (optionally with s, m, h or d), "hourly" or "daily"; got "${this.text(el)}"`);
      return undefined;
    }
    const n = Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
    if (n < min) {
      this.error(el, `must be at least ${min} second(s), got ${n}`);
      return undefined;
    }
    return n;
  }

  private bytes(el: XmlElement): number | undefined {
    const v = this.text(el).toLowerCase();
    const m = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/.exec(v);
    if (!m) {
      this.error(el, `must be a size in bytes (optionally with K or M), got "${this.text(el)}"`);
      return undefined;
    }
    const unit = m[2] ?? 'b';
    const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
    const n = Number(m[1]) * mult;
    if (n < 1) {
      this.error(el, 'must be at least 1 byte');
      return undefined;
    }
    return n;
  }

  private readGlobal(section: XmlElement, g: GlobalConfig): void {
    for (const el of section.children) {
      if (!GLOBAL_ELEMENTS.has(el.name)) {
        this.error(el, `unknown option in <global>`);
        continue;
      }
      switch (el.name) {
        case 'logall':
          g.logall = this.yesNo(el) ?? g.logall;
          break;
        case 'jsonout_output':
          g.jsonoutOutput = this.yesNo(el) ?? g.jsonoutOutput;
          break;
        case 'email_notification':
          g.emailNotification = this.yesNo(el) ?? g.emailNotification;
          this.emailNotificationEl = el;
          break;
        case 'email_to': {
          const to = this.address(el);
          if (to) g.emailTo.push(to);
          break;
        }
        case 'email_from':
          g.emailFrom = this.address(el);
          break;
        case 'email_reply_to':
          g.emailReplyTo = this.address(el);
          break;
        case 'email_idsname':
          g.emailIdsname = this.nonEmpty(el);
          break;
        case 'smtp_server': {
          const v = this.text(el);
          // A host name or address, or (OSSEC) the path of a sendmail-compatible program.
          if (!/^(\/\S+|[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])$/.test(v)) this.error(el, `must be a host name, an address or the absolute path of a sendmail program, got "${v}"`);
          else g.smtpServer = v;
          break;
        }
        case 'smtp_port':
          g.smtpPort = this.integer(el, 1, 65535) ?? g.smtpPort;
          break;
        case 'auth_smtp':
          this.yesNo(el);
          break;
        case 'smtp_user':
          g.smtpUser = this.nonEmpty(el);
          break;
        case 'smtp_password':
          // Kept as written (spaces may be part of it); never echoed in a message.
          g.smtpPassword = el.text;
          break;
        case 'secure_smtp':
          g.secureSmtp = this.yesNo(el) ?? g.secureSmtp;
          break;
        case 'helo_server':
          g.heloServer = this.nonEmpty(el);
          break;
        case 'email_maxperhour':
          g.emailMaxPerHour = this.integer(el, 1, 9999) ?? g.emailMaxPerHour;
          break;
        case 'white_list':
          g.whiteList.push(this.text(el));
          break;
        case 'memory_size':
          g.memorySize = this.integer(el, 16, 10_000_000) ?? g.memorySize;
          break;
        case 'command_prefix': {
          const v = this.text(el);
          if (v !== 'ospatrol' && v !== 'ossec') this.error(el, `must be "ospatrol" or "ossec", got "${v}"`);
          else g.commandPrefix = v;
          break;
        }
        case 'hostname': {
          const v = this.text(el);
          if (!/^[A-Za-z0-9._@()/-]+$/.test(v)) this.error(el, `is not a valid host name: "${v}"`);
          else g.hostname = v;
          break;
        }
        default:
          // Known OSSEC options that OSPatrol stores nowhere yet (stats, prelude, ...).
          break;
      }
    }
  }

  private readAlerts(section: XmlElement, a: AlertsConfig): void {
    for (const el of section.children) {
      if (el.name === 'log_alert_level') a.logAlertLevel = this.integer(el, 0, 16) ?? a.logAlertLevel;
      else if (el.name === 'email_alert_level') a.emailAlertLevel = this.integer(el, 0, 16) ?? a.emailAlertLevel;
      else if (el.name === 'use_geoip') continue;
      else this.error(el, 'unknown option in <alerts> (expected log_alert_level or email_alert_level)');
    }
  }

  private readLocalfile(section: XmlElement): LocalfileConfig | undefined {
    let format: string | undefined;
    let formatEl: XmlElement | undefined;
    let location: string | undefined;
    let command: string | undefined;
    let alias: string | undefined;
    let frequency = 360;
    let timeout = 60;
    let maxOutput = 64 * 1024;
    let onlyFuture = true;
    let linesPerEvent = 1;
    const before = this.errors.length;
    for (const el of section.children) {
      switch (el.name) {
        case 'log_format': {
          formatEl = el;
          const v = this.text(el);
          const ml = /^multi-line\s*:\s*(\d+)$/.exec(v);
          if (ml) {
            format = 'multi-line';
            linesPerEvent = Number(ml[1]);
            if (linesPerEvent < 1 || linesPerEvent > 1000) this.error(el, `multi-line needs between 1 and 1000 lines, got ${ml[1]}`);
          } else if (LOG_FORMATS.has(v)) format = v === 'ospatrolalert' ? 'ossecalert' : v;
          else this.error(el, `unknown log format "${v}" (expected syslog, command, full_command, multi-line:N, ${[...LOG_FORMATS].filter((f) => !['syslog', 'command', 'full_command'].includes(f)).join(', ')})`);
          break;
        }
        case 'location':
          location = this.text(el);
          if (!location) this.error(el, 'must not be empty');
          break;
        case 'command':
          command = this.text(el);
          if (!command) this.error(el, 'must not be empty');
          break;
        case 'alias':
          alias = this.text(el);
          if (!alias) this.error(el, 'must not be empty');
          break;
        case 'frequency':
          frequency = this.seconds(el, 1) ?? frequency;
          break;
        case 'timeout':
          timeout = this.seconds(el, 1) ?? timeout;
          break;
        case 'max_output':
          maxOutput = this.bytes(el) ?? maxOutput;
          break;
        case 'only-future-events':
          onlyFuture = this.yesNo(el) ?? onlyFuture;
          break;
        case 'target':
        case 'out_format':
        case 'query':
        case 'label':
        case 'age':
        case 'ignore_binaries':
          break; // Known elsewhere (Wazuh/OSSEC options) and without effect here.
        default:
          this.error(el, 'unknown option in <localfile> (expected log_format, location, command, alias, frequency, only-future-events, timeout, max_output)');
      }
    }
    if (!format) {
      if (!formatEl) this.error(section, 'missing <log_format>');
      return undefined;
    }
    if (this.errors.length > before) return undefined;
    const pos = { file: section.file, line: section.line };
    if (format === 'command' || format === 'full_command') {
      if (!command) {
        this.error(section, `log_format ${format} needs a <command>`);
        return undefined;
      }
      const cfg: CommandConfig = {
        type: 'command',
        ...pos,
        command,
        format,
        alias: alias ?? command,
        frequencySeconds: frequency,
        timeoutSeconds: timeout,
        maxOutputBytes: maxOutput,
      };
      return cfg;
    }
    if (!location) {
      this.error(section, 'missing <location> (the file to read)');
      return undefined;
    }
    const cfg: LogfileConfig = {
      type: 'logfile',
      ...pos,
      location,
      format: format as LogFormat,
      linesPerEvent,
      onlyFutureEvents: onlyFuture,
      alias,
    };
    return cfg;
  }

  private nonEmpty(el: XmlElement): string | undefined {
    const v = this.text(el);
    if (v === '') this.error(el, 'must not be empty');
    return v === '' ? undefined : v;
  }

  /** An e-mail address: one `local@domain`, no spaces or angle brackets (a header cannot be smuggled in). */
  private address(el: XmlElement): string | undefined {
    const v = this.text(el);
    if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(v)) {
      this.error(el, `must be one e-mail address (user@domain), got "${v}"`);
      return undefined;
    }
    return v;
  }

  /** An OS_Match pattern (group, location filters), compiled here so a bad one is reported with its line. */
  private osMatch(el: XmlElement): string | undefined {
    const v = this.text(el);
    if (v === '') {
      this.error(el, 'must not be empty');
      return undefined;
    }
    try {
      compileOsMatch(v);
    } catch (e) {
      this.error(el, `invalid pattern: ${(e as Error).message}`);
      return undefined;
    }
    return v;
  }

  /** `rule_id`: rule ids separated by commas or spaces (`5503, 5716`). */
  private ruleIds(el: XmlElement): number[] | undefined {
    const parts = this.text(el).split(/[\s,]+/).filter((p) => p !== '');
    if (parts.length === 0 || parts.some((p) => !/^\d{1,9}$/.test(p))) {
      this.error(el, `must be rule ids separated by commas, got "${this.text(el)}"`);
      return undefined;
    }
    return parts.map(Number);
  }

  /** OSSEC writes these flags as empty elements (`<do_not_delay />`); `yes`/`no` are accepted too. */
  private flag(el: XmlElement): boolean | undefined {
    return this.text(el) === '' ? true : this.yesNo(el);
  }

  private required(section: XmlElement, have: unknown, name: string, why = ''): boolean {
    if (have !== undefined && have !== '') return true;
    this.error(section, `missing <${name}>${why}`);
    return false;
  }

  /** `<database_output>` (ossec-platform.md 3.5): one database; several blocks make several outputs. */
  private readDatabaseOutput(section: XmlElement): DatabaseOutputConfig | undefined {
    const before = this.errors.length;
    let type: DatabaseOutputConfig['type'] | undefined;
    let sawType = false;
    let hostname: string | undefined;
    let port: number | undefined;
    let socket: string | undefined;
    let username: string | undefined;
    let password = '';
    let database: string | undefined;
    for (const el of section.children) {
      switch (el.name) {
        case 'type': {
          sawType = true;
          const v = this.text(el).toLowerCase();
          if (v === 'postgresql' || v === 'pgsql' || v === 'postgres') type = 'postgresql';
          else if (v === 'mysql' || v === 'mariadb') type = 'mysql';
          else if (v === 'sqlite') type = 'sqlite';
          else this.error(el, `must be postgresql, mysql or sqlite, got "${this.text(el)}"`);
          break;
        }
        case 'hostname':
          hostname = this.nonEmpty(el);
          if (hostname !== undefined && !/^([A-Za-z0-9._-]+|\[?[0-9A-Fa-f:.]+\]?)$/.test(hostname)) {
            this.error(el, `is not a host name or address: "${hostname}"`);
          }
          break;
        case 'port':
          port = this.integer(el, 1, 65535);
          break;
        case 'socket':
          socket = this.nonEmpty(el);
          if (socket !== undefined && !isAbsolute(socket)) this.error(el, `must be an absolute path, got "${socket}"`);
          break;
        case 'username':
          username = this.nonEmpty(el);
          break;
        case 'password':
          // Kept as written; never echoed in a message.
          password = el.text;
          break;
        case 'database':
          database = this.nonEmpty(el);
          break;
        default:
          this.error(el, 'unknown option in <database_output> (expected type, hostname, port, socket, username, password, database)');
      }
    }
    if (!sawType) this.error(section, 'missing <type> (postgresql, mysql or sqlite)');
    if (type === undefined) return undefined;
    if (type !== 'sqlite') {
      if (socket === undefined) this.required(section, hostname, 'hostname');
      this.required(section, username, 'username');
    }
    this.required(section, database, 'database', type === 'sqlite' ? ' (the database file)' : '');
    if (this.errors.length > before) return undefined;
    return {
      file: section.file,
      line: section.line,
      type: type!,
      hostname: hostname ?? (type === 'sqlite' ? '' : 'localhost'),
      port: port ?? (type === 'postgresql' ? 5432 : type === 'mysql' ? 3306 : 0),
      socket,
      username: username ?? '',
      password,
      database: database!,
    };
  }

  /** `<syslog_output>` (ossec-platform.md 3.4), plus `protocol` tls and `max_size`. */
  private readSyslogOutput(section: XmlElement): SyslogOutputConfig | undefined {
    const before = this.errors.length;
    let server: string | undefined;
    let port: number | undefined;
    let format: SyslogFormat = 'default';
    let protocol: SyslogOutputConfig['protocol'] = 'udp';
    let tls = false;
    let level: number | undefined;
    let group: string | undefined;
    let ruleIds: number[] | undefined;
    let location: string | undefined;
    let tlsVerify = true;
    let tlsCa: string | undefined;
    let maxSize: number | undefined;
    for (const el of section.children) {
      switch (el.name) {
        case 'server':
          server = this.nonEmpty(el);
          if (server !== undefined && !/^([A-Za-z0-9._-]+|\[?[0-9A-Fa-f:.]+\]?)$/.test(server)) {
            this.error(el, `is not a host name or address: "${server}"`);
          }
          break;
        case 'port':
          port = this.integer(el, 1, 65535);
          break;
        case 'format': {
          const v = this.text(el);
          if (v === 'default' || v === 'cef' || v === 'json' || v === 'splunk') format = v;
          else this.error(el, `must be default, cef, json or splunk, got "${v}"`);
          break;
        }
        case 'protocol': {
          const v = this.text(el).toLowerCase();
          if (v === 'udp' || v === 'tcp' || v === 'tls') protocol = v;
          else this.error(el, `must be udp, tcp or tls, got "${this.text(el)}"`);
          break;
        }
        case 'tls':
          tls = this.yesNo(el) ?? tls;
          break;
        case 'tls_verify':
          tlsVerify = this.yesNo(el) ?? tlsVerify;
          break;
        case 'tls_ca': {
          const v = this.nonEmpty(el);
          if (v === undefined) break;
          const p = resolve(this.dir, v);
          if (!existsSync(p)) this.error(el, `file "${v}" not found`);
          else tlsCa = p;
          break;
        }
        case 'level':
          level = this.integer(el, 0, 16);
          break;
        case 'group':
          group = this.osMatch(el);
          break;
        case 'rule_id':
          ruleIds = this.ruleIds(el);
          break;
        case 'location':
          location = this.osMatch(el);
          break;
        case 'max_size':
          maxSize = this.bytes(el);
          if (maxSize !== undefined && (maxSize < 480 || maxSize > 1024 * 1024)) {
            this.error(el, `must be between 480 bytes and 1M, got ${maxSize}`);
            maxSize = undefined;
          }
          break;
        case 'use_fqdn':
          this.yesNo(el);
          break;
        default:
          this.error(el, 'unknown option in <syslog_output> (expected server, port, format, protocol, tls, tls_verify, tls_ca, level, group, rule_id, location, max_size)');
      }
    }
    if (tls) protocol = 'tls';
    if (!this.required(section, server, 'server')) return undefined;
    if (this.errors.length > before) return undefined;
    return {
      file: section.file,
      line: section.line,
      server: server!,
      port: port ?? (protocol === 'tls' ? 6514 : 514),
      format,
      protocol,
      level,
      group,
      ruleIds,
      location,
      tlsVerify,
      tlsCa,
      // UDP: what fits a datagram that crosses networks unfragmented often enough (RFC 5426 asks
      // receivers for 2048 at least); TCP/TLS carry whole full_command outputs.
      maxSize: maxSize ?? (protocol === 'udp' ? 8192 : 256 * 1024),
    };
  }

  /** Granular `<email_alerts>` (ossec-platform.md 3.3): every criterion given must match. */
  private readEmailAlerts(section: XmlElement): EmailAlertsConfig | undefined {
    const before = this.errors.length;
    const to: string[] = [];
    let level: number | undefined;
    let group: string | undefined;
    let eventLocation: string | undefined;
    let ruleIds: number[] | undefined;
    let format: EmailAlertsConfig['format'] = 'full';
    let doNotDelay = false;
    let doNotGroup = false;
    for (const el of section.children) {
      switch (el.name) {
        case 'email_to': {
          const a = this.address(el);
          if (a) to.push(a);
          break;
        }
        case 'level':
          level = this.integer(el, 0, 16);
          break;
        case 'group':
          group = this.osMatch(el);
          break;
        case 'event_location':
          eventLocation = this.osMatch(el);
          break;
        case 'rule_id':
          ruleIds = this.ruleIds(el);
          break;
        case 'format': {
          const v = this.text(el).toLowerCase();
          if (v === 'full' || v === 'default') format = 'full';
          else if (v === 'sms') format = 'sms';
          else this.error(el, `must be full, default or sms, got "${this.text(el)}"`);
          break;
        }
        case 'do_not_delay':
          doNotDelay = this.flag(el) ?? doNotDelay;
          break;
        case 'do_not_group':
          doNotGroup = this.flag(el) ?? doNotGroup;
          break;
        default:
          this.error(el, 'unknown option in <email_alerts> (expected email_to, level, group, event_location, rule_id, format, do_not_delay, do_not_group)');
      }
    }
    if (!section.children.some((c) => c.name === 'email_to')) this.error(section, 'missing <email_to>');
    if (this.errors.length > before) return undefined;
    return { file: section.file, line: section.line, to, level, group, eventLocation, ruleIds, format, doNotDelay, doNotGroup };
  }

  /** With e-mail on, a mail must be sendable: a server, a sender, and someone to send to. */
  private checkEmail(g: GlobalConfig, granular: EmailAlertsConfig[]): void {
    const el = this.emailNotificationEl;
    if (!g.emailNotification || !el) return;
    if (g.smtpServer === undefined) this.error(el, 'e-mail is on but <global> has no valid <smtp_server>');
    if (g.emailFrom === undefined) this.error(el, 'e-mail is on but <global> has no valid <email_from>');
    if (g.emailTo.length === 0 && granular.length === 0) this.error(el, 'e-mail is on but there is no <email_to> in <global> and no <email_alerts> block');
    if ((g.smtpUser === undefined) !== (g.smtpPassword === undefined)) this.error(el, '<smtp_user> and <smtp_password> go together');
  }

  /**
   * Resolves rule, decoder and list paths as OSSEC does, relative to its home: a bare name is
   * looked up in `rules/`; other relative paths next to the config file or in its parent (the
   * OSSEC home, where `etc/` and `rules/` are siblings).
   */
  private resolveFile(el: XmlElement, name: string, bareDirs: string[]): string | undefined {
    const candidates: string[] = [];
    if (isAbsolute(name)) candidates.push(name);
    else {
      if (!name.includes('/')) for (const d of bareDirs) candidates.push(join(this.dir, d, name), join(this.dir, '..', d, name));
      candidates.push(join(this.dir, name), join(this.dir, '..', name));
    }
    for (const c of candidates) if (existsSync(c)) return resolve(c);
    this.error(el, `file "${name}" not found (looked in ${[...new Set(candidates.map((c) => resolve(c)))].join(', ')})`);
    return undefined;
  }

  private readDir(el: XmlElement, name: string): string[] {
    const pattern = attribute(el, 'pattern') ?? '.xml$';
    let re: RegExp;
    try {
      // The pattern is an OSRegex in OSSEC; the ones used in practice (`.xml$`, `_rules.xml$`)
      // mean the same as a JS regex where `.` is literal-ish enough; keep it simple and safe.
      re = new RegExp(pattern.replace(/\./g, '\\.'));
    } catch {
      this.error(el, `invalid pattern "${pattern}"`);
      return [];
    }
    const candidates = isAbsolute(name) ? [name] : [join(this.dir, name), join(this.dir, '..', name)];
    for (const c of candidates) {
      if (existsSync(c) && statSync(c).isDirectory()) {
        return readdirSync(c)
          .filter((f) => re.test(f))
          .sort()
          .map((f) => resolve(c, f));
      }
    }
    this.error(el, `directory "${name}" not found`);
    return [];
  }

  private readRules(sections: XmlElement[]): RulesConfig {
    const ruleFiles: string[] = [];
    const decoderFiles: string[] = [];
    const lists: RulesConfig['lists'] = [];
    let sawDecoder = false;
    for (const section of sections) {
      for (const el of section.children) {
        const v = this.text(el);
        switch (el.name) {
          case 'include':
          case 'rule': {
            const f = this.resolveFile(el, v, ['rules']);
            if (f) ruleFiles.push(f);
            break;
          }
          case 'rule_dir':
            ruleFiles.push(...this.readDir(el, v));
            break;
          case 'decoder': {
            sawDecoder = true;
            const f = this.resolveFile(el, v, ['etc', '.']);
            if (f) decoderFiles.push(f);
            break;
          }
          case 'decoder_dir':
            sawDecoder = true;
            decoderFiles.push(...this.readDir(el, v));
            break;
          case 'list': {
            // OSSEC names the text file; a `.cdb` suffix names the compiled one (5.7).
            const name = v.replace(/\.cdb$/, '');
            const f = this.resolveFile(el, name, ['rules']);
            if (f) lists.push({ name: v, path: f });
            break;
          }
          default:
            this.error(el, 'unknown option in <rules> (expected include, rule, rule_dir, decoder, decoder_dir, list)');
        }
      }
    }
    if (!sawDecoder) {
      // OSSEC's default: etc/decoder.xml, then etc/local_decoder.xml when present (3.1).
      for (const name of ['decoder.xml', 'local_decoder.xml']) {
        const c = [join(this.dir, name), join(this.dir, '..', 'etc', name)].find((p) => existsSync(p));
        if (c) decoderFiles.push(resolve(c));
      }
    }
    return { ruleFiles, decoderFiles, lists, baseDir: this.dir };
  }
}
