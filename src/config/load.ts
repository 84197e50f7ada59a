import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigErrors, ErrorCodes, OspatrolError } from '../errors.js';
import type {
  AlertsConfig,
  DatabaseOutputConfig,
  EmailAlertsConfig,
  LocalfileConfig,
  OspatrolConfig,
  SyslogOutputConfig,
} from './model.js';
import { readAlerts } from './sections/alerts.js';
import { checkEmail, defaultGlobal, readGlobal } from './sections/global.js';
import { readLocalfile } from './sections/localfile.js';
import { readDatabaseOutput, readEmailAlerts, readSyslogOutput } from './sections/outputs.js';
import { readRules } from './sections/rules.js';
import { ErrorCollector } from './values.js';
import { applyVariables, parseXml, type XmlElement } from './xml.js';

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
  const config = readRoots(new ErrorCollector(errors), dirname(path), roots);
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

function readRoots(c: ErrorCollector, dir: string, roots: XmlElement[]): Omit<OspatrolConfig, 'file'> {
  const global = defaultGlobal();
  const alerts: AlertsConfig = { logAlertLevel: 1, emailAlertLevel: 7 };
  const rulesEls: XmlElement[] = [];
  const localfiles: LocalfileConfig[] = [];
  const databaseOutputs: DatabaseOutputConfig[] = [];
  const syslogOutputs: SyslogOutputConfig[] = [];
  const emailAlerts: EmailAlertsConfig[] = [];
  /** The last `<email_notification>`, where a missing mail setting is reported. */
  let emailNotificationEl: XmlElement | undefined;
  for (const root of roots) {
    if (root.name !== 'ossec_config' && root.name !== 'ospatrol_config') {
      c.error(root, 'the root element must be <ospatrol_config> or <ossec_config>');
      continue;
    }
    for (const section of root.children) {
      switch (section.name) {
        case 'global':
          emailNotificationEl = readGlobal(c, section, global) ?? emailNotificationEl;
          break;
        case 'alerts':
          readAlerts(c, section, alerts);
          break;
        case 'rules':
          rulesEls.push(section);
          break;
        case 'localfile': {
          const lf = readLocalfile(c, section);
          if (lf) localfiles.push(lf);
          break;
        }
        case 'database_output': {
          const db = readDatabaseOutput(c, section);
          if (db) databaseOutputs.push(db);
          break;
        }
        case 'syslog_output': {
          const sl = readSyslogOutput(c, dir, section);
          if (sl) syslogOutputs.push(sl);
          break;
        }
        case 'email_alerts': {
          const ea = readEmailAlerts(c, section);
          if (ea) emailAlerts.push(ea);
          break;
        }
        default:
          if (!KNOWN_UNSUPPORTED_SECTIONS.has(section.name)) {
            c.error(section, `unknown section (expected global, alerts, rules, localfile or another OSSEC section)`);
          }
      }
    }
  }
  const rules = readRules(c, dir, rulesEls);
  checkEmail(c, global, emailAlerts, emailNotificationEl);
  return { global, alerts, rules, localfiles, databaseOutputs, syslogOutputs, emailAlerts };
}
