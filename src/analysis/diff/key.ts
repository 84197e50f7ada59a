import type { EventInfo } from '../event-info.js';
import type { DiffKey } from '../state/check-diff-store.js';

/**
 * The check_diff state key of an event for one rule: (host, rule, location).
 * - host is OSSEC's (dodiff.c): for an agent event the agent name (between the parentheses of the
 *   hostname), else the hostname;
 * - location is the event's location without an agent event's `(name) ip->` prefix, so that an
 *   agent whose address changes keeps its baselines.
 */
export function diffKeyOf(ev: EventInfo, ruleId: number): DiffKey {
  let host = ev.hostname;
  let location = ev.location;
  if (host.startsWith('(')) {
    const close = host.indexOf(')');
    host = close < 0 ? host.slice(1) : host.slice(1, close);
    location = withoutAgentPrefix(location);
  } else if (ev.agent) {
    host = ev.agent.name;
    location = withoutAgentPrefix(location);
  }
  return { host, ruleId, location };
}

function withoutAgentPrefix(location: string): string {
  if (!location.startsWith('(')) return location;
  const close = location.indexOf(') ');
  const arrow = close < 0 ? -1 : location.indexOf('->', close);
  return arrow < 0 ? location : location.slice(arrow + 2);
}
