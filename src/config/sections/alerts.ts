import type { AlertsConfig } from '../model.js';
import { integer, type ErrorCollector } from '../values.js';
import type { XmlElement } from '../xml.js';

export function readAlerts(c: ErrorCollector, section: XmlElement, a: AlertsConfig): void {
  for (const el of section.children) {
    if (el.name === 'log_alert_level') a.logAlertLevel = integer(c, el, 0, 16) ?? a.logAlertLevel;
    else if (el.name === 'email_alert_level') a.emailAlertLevel = integer(c, el, 0, 16) ?? a.emailAlertLevel;
    else if (el.name === 'use_geoip') continue;
    else c.error(el, 'unknown option in <alerts> (expected log_alert_level or email_alert_level)');
  }
}
