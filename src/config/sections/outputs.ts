import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DatabaseOutputConfig, EmailAlertsConfig, SyslogFormat, SyslogOutputConfig } from '../model.js';
import {
  address,
  bytes,
  flag,
  host,
  integer,
  nonEmpty,
  osMatch,
  required,
  ruleIds,
  text,
  yesNo,
  type ErrorCollector,
} from '../values.js';
import type { XmlElement } from '../xml.js';

/** The alert criteria `<syslog_output>` and `<email_alerts>` share; every one given must match. */
interface AlertFilter {
  level?: number;
  group?: string;
  ruleIds?: number[];
  location?: string;
}

/**
 * Reads `el` into `f` when it is one of the shared criteria; the location one is named
 * `location` in `<syslog_output>` and `event_location` in `<email_alerts>`.
 */
function readFilterOption(c: ErrorCollector, el: XmlElement, f: AlertFilter, locationName: string): boolean {
  switch (el.name) {
    case 'level':
      f.level = integer(c, el, 0, 16);
      return true;
    case 'group':
      f.group = osMatch(c, el);
      return true;
    case 'rule_id':
      f.ruleIds = ruleIds(c, el);
      return true;
    case locationName:
      f.location = osMatch(c, el);
      return true;
    default:
      return false;
  }
}

/** A `<database_output><type>` (or `ospatrol alerts --database`) name, OSSEC's aliases included. */
export function databaseType(name: string): DatabaseOutputConfig['type'] | undefined {
  const v = name.toLowerCase();
  if (v === 'postgresql' || v === 'pgsql' || v === 'postgres') return 'postgresql';
  if (v === 'mysql' || v === 'mariadb') return 'mysql';
  if (v === 'sqlite') return 'sqlite';
  return undefined;
}

/** `<database_output>` (ossec-platform.md 3.5): one database; several blocks make several outputs. */
export function readDatabaseOutput(c: ErrorCollector, section: XmlElement): DatabaseOutputConfig | undefined {
  const before = c.count;
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
        type = databaseType(text(el));
        if (type === undefined) c.error(el, `must be postgresql, mysql or sqlite, got "${text(el)}"`);
        break;
      }
      case 'hostname':
        hostname = host(c, el);
        break;
      case 'port':
        port = integer(c, el, 1, 65535);
        break;
      case 'socket':
        socket = nonEmpty(c, el);
        if (socket !== undefined && !isAbsolute(socket)) c.error(el, `must be an absolute path, got "${socket}"`);
        break;
      case 'username':
        username = nonEmpty(c, el);
        break;
      case 'password':
        // Kept as written; never echoed in a message.
        password = el.text;
        break;
      case 'database':
        database = nonEmpty(c, el);
        break;
      default:
        c.error(el, 'unknown option in <database_output> (expected type, hostname, port, socket, username, password, database)');
    }
  }
  if (!sawType) c.error(section, 'missing <type> (postgresql, mysql or sqlite)');
  if (type === undefined) return undefined;
  if (type !== 'sqlite') {
    if (socket === undefined) required(c, section, hostname, 'hostname');
    required(c, section, username, 'username');
  }
  required(c, section, database, 'database', type === 'sqlite' ? ' (the database file)' : '');
  if (c.count > before) return undefined;
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

/**
 * `<syslog_output>` (ossec-platform.md 3.4), plus `protocol` tls and `max_size`; `dir` (the config
 * file's folder) anchors a relative `tls_ca`.
 */
export function readSyslogOutput(c: ErrorCollector, dir: string, section: XmlElement): SyslogOutputConfig | undefined {
  const before = c.count;
  let server: string | undefined;
  let port: number | undefined;
  let format: SyslogFormat = 'default';
  let protocol: SyslogOutputConfig['protocol'] = 'udp';
  let tls = false;
  const filter: AlertFilter = {};
  let tlsVerify = true;
  let tlsCa: string | undefined;
  let maxSize: number | undefined;
  for (const el of section.children) {
    if (readFilterOption(c, el, filter, 'location')) continue;
    switch (el.name) {
      case 'server':
        server = host(c, el);
        break;
      case 'port':
        port = integer(c, el, 1, 65535);
        break;
      case 'format': {
        const v = text(el);
        if (v === 'default' || v === 'cef' || v === 'json' || v === 'splunk') format = v;
        else c.error(el, `must be default, cef, json or splunk, got "${v}"`);
        break;
      }
      case 'protocol': {
        const v = text(el).toLowerCase();
        if (v === 'udp' || v === 'tcp' || v === 'tls') protocol = v;
        else c.error(el, `must be udp, tcp or tls, got "${text(el)}"`);
        break;
      }
      case 'tls':
        tls = yesNo(c, el) ?? tls;
        break;
      case 'tls_verify':
        tlsVerify = yesNo(c, el) ?? tlsVerify;
        break;
      case 'tls_ca': {
        const v = nonEmpty(c, el);
        if (v === undefined) break;
        const p = resolve(dir, v);
        if (!existsSync(p)) c.error(el, `file "${v}" not found`);
        else tlsCa = p;
        break;
      }
      case 'max_size':
        maxSize = bytes(c, el);
        if (maxSize !== undefined && (maxSize < 480 || maxSize > 1024 * 1024)) {
          c.error(el, `must be between 480 bytes and 1M, got ${maxSize}`);
          maxSize = undefined;
        }
        break;
      case 'use_fqdn':
        yesNo(c, el);
        break;
      default:
        c.error(el, 'unknown option in <syslog_output> (expected server, port, format, protocol, tls, tls_verify, tls_ca, level, group, rule_id, location, max_size)');
    }
  }
  if (tls) protocol = 'tls';
  if (!required(c, section, server, 'server')) return undefined;
  if (c.count > before) return undefined;
  return {
    file: section.file,
    line: section.line,
    server: server!,
    port: port ?? (protocol === 'tls' ? 6514 : 514),
    format,
    protocol,
    level: filter.level,
    group: filter.group,
    ruleIds: filter.ruleIds,
    location: filter.location,
    tlsVerify,
    tlsCa,
    // UDP: what fits a datagram that crosses networks unfragmented often enough (RFC 5426 asks
    // receivers for 2048 at least); TCP/TLS carry whole full_command outputs.
    maxSize: maxSize ?? (protocol === 'udp' ? 8192 : 256 * 1024),
  };
}

/** Granular `<email_alerts>` (ossec-platform.md 3.3): every criterion given must match. */
export function readEmailAlerts(c: ErrorCollector, section: XmlElement): EmailAlertsConfig | undefined {
  const before = c.count;
  const to: string[] = [];
  const filter: AlertFilter = {};
  let format: EmailAlertsConfig['format'] = 'full';
  let doNotDelay = false;
  let doNotGroup = false;
  for (const el of section.children) {
    if (readFilterOption(c, el, filter, 'event_location')) continue;
    switch (el.name) {
      case 'email_to': {
        const a = address(c, el);
        if (a) to.push(a);
        break;
      }
      case 'format': {
        const v = text(el).toLowerCase();
        if (v === 'full' || v === 'default') format = 'full';
        else if (v === 'sms') format = 'sms';
        else c.error(el, `must be full, default or sms, got "${text(el)}"`);
        break;
      }
      case 'do_not_delay':
        doNotDelay = flag(c, el) ?? doNotDelay;
        break;
      case 'do_not_group':
        doNotGroup = flag(c, el) ?? doNotGroup;
        break;
      default:
        c.error(el, 'unknown option in <email_alerts> (expected email_to, level, group, event_location, rule_id, format, do_not_delay, do_not_group)');
    }
  }
  if (!section.children.some((el) => el.name === 'email_to')) c.error(section, 'missing <email_to>');
  if (c.count > before) return undefined;
  return {
    file: section.file,
    line: section.line,
    to,
    level: filter.level,
    group: filter.group,
    eventLocation: filter.location,
    ruleIds: filter.ruleIds,
    format,
    doNotDelay,
    doNotGroup,
  };
}
