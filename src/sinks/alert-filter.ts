import type { Alert } from '../alerts/alert.js';
import { compileOsMatch } from '../analysis/matchers/os-match.js';
import type { Matcher } from '../analysis/matchers/matcher.js';

/**
 * The alert filters of `<syslog_output>` and `<email_alerts>` (ossec-platform.md 3.3, 3.4): every
 * criterion given must hold. `group` and `location` are OS_Match patterns, as in OSSEC, tested
 * against the alert's group string (`syslog,sshd,`) and its location as alerts.log prints it.
 */
export interface AlertFilterSpec {
  level?: number;
  group?: string;
  ruleIds?: readonly number[];
  location?: string;
}

export type AlertFilter = (alert: Alert) => boolean;

/** Compiles the patterns once; throws PatternError on a bad one (configuration load reports it first). */
export function compileAlertFilter(spec: AlertFilterSpec): AlertFilter {
  const group: Matcher | undefined = spec.group !== undefined ? compileOsMatch(spec.group) : undefined;
  const location: Matcher | undefined = spec.location !== undefined ? compileOsMatch(spec.location) : undefined;
  const rules = spec.ruleIds !== undefined ? new Set(spec.ruleIds) : undefined;
  const level = spec.level;
  return (alert) =>
    (level === undefined || alert.rule.level >= level) &&
    (rules === undefined || rules.has(alert.rule.id)) &&
    (group === undefined || group.test(alert.rule.groupText)) &&
    (location === undefined || location.test(printedLocation(alert)));
}

/**
 * The location as alerts.log prints it (`host->location`, or the location alone when they are the
 * same), which is what OSSEC's outputs read back and match `location` / `event_location` against.
 */
export function printedLocation(alert: Alert): string {
  return alert.hostname !== '' && alert.hostname !== alert.location ? `${alert.hostname}->${alert.location}` : alert.location;
}
