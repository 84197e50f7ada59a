import type { Rule, RuleNode } from './rule.js';
import type { Ruleset } from './ruleset.js';

/**
 * Forgets every piece of run-time state kept on the rules themselves (fired counts, ignore timers,
 * the event lists of if_matched_sid/if_matched_group), so a loaded ruleset can start over as if
 * freshly loaded. `ospatrol test-rules` runs each case this way instead of reloading the files,
 * as OSSEC's runtests.py started a fresh ossec-logtest per case.
 */
export function resetRuleState(ruleset: Ruleset): void {
  const seen = new Set<Rule>();
  const walk = (nodes: readonly RuleNode[]): void => {
    for (const n of nodes) {
      const r = n.rule;
      if (!seen.has(r)) {
        seen.add(r);
        r.firedtimes = 0;
        r.timeIgnored = 0;
        r.sidPrevMatched?.clear();
        r.groupSearch?.clear();
      }
      walk(n.children);
    }
  };
  walk(ruleset.roots);
}
