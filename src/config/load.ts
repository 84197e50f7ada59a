import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigErrors, ErrorCodes, OspatrolError } from '../errors.js';
import type {
  AlertsConfig,
  CommandConfig,
  GlobalConfig,
  LocalfileConfig,
  LogFormat,
  LogfileConfig,
  OspatrolConfig,
  RulesConfig,
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
  'database_output',
  'syslog_output',
  'email_alerts',
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
      whiteList: [],
      hostname: undefined,
      memorySize: 8192,
    };
    const alerts: AlertsConfig = { logAlertLevel: 1, emailAlertLevel: 7 };
    const rulesEls: XmlElement[] = [];
    const localfiles: LocalfileConfig[] = [];
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
          default:
            if (!KNOWN_UNSUPPORTED_SECTIONS.has(section.name)) {
              this.error(section, `unknown section (expected global, alerts, rules, localfile or another OSSEC section)`);
            }
        }
      }
    }
    const rules = this.readRules(rulesEls);
    return { global, alerts, rules, localfiles };
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
          break;
        case 'email_to':
          g.emailTo.push(this.text(el));
          break;
        case 'email_from':
          g.emailFrom = this.text(el);
          break;
        case 'smtp_server':
          g.smtpServer = this.text(el);
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
