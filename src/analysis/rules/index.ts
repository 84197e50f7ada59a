/**
 * The rule engine (ossec-analysis.md 5-7): load rule files into a linked tree once, then evaluate
 * event after event, keeping OSSEC's rule state (history, ignore timers, FTS, check_diff).
 *
 * It reproduces OSSEC 4.3.0, quirks included, and is checked against the real ossec-logtest and
 * ospatrol-logtest (oracle.test.ts). Where we deliberately differ, and why:
 * - `<category>ospatrol</category>` (and decoder type `ospatrol`) is accepted as `ossec`, as
 *   OSPatrol 2.7 does; OSSEC 4.3.0 refuses it.
 * - A repeated *root* rule id (below 10) is kept as an extra root with a warning instead of stopping
 *   the load: OSPatrol's shipped rules_config.xml defines 07 twice (ruleset.ts).
 * - Inputs on which OSSEC hangs or crashes are load errors: an `<info>` attribute other than
 *   type="text|link|cve|osvdb" (endless loop), a *_value list lookup without check_value and an
 *   overwrite that turns a rule into a context rule (NULL calls), elements nested in rule options.
 * - check_diff state: no trailing NUL written, atomic 0600 writes, hosts percent-encoded into one
 *   path component, outputs capped at 1 MiB instead of 8 KiB (check-diff-store.ts).
 * - `is_valid_crawler` does no DNS lookups (compiled-rules.ts).
 * - FTS keys and ignore lines are cut at 255 UTF-16 units, not bytes (same for ASCII).
 * - An unknown `<list>` name is a load warning (OSSEC says nothing; the condition never matches).
 */
export { loadRuleset, type LoadRulesOptions, type RuleSource, type Ruleset } from './ruleset.js';
export { parseRuleFile, type ParseOptions } from './load.js';
export {
  RuleEngine, NULL_DECODER, OSSEC_ALERT_TYPE, categoryOf,
  type EngineOptions, type EvaluateOptions, type RuleMatch, type Suppression,
} from './evaluate.js';
export { engineState } from './engine-state.js';
export { Rule, type RuleNode } from './rule.js';
export type { RuleConfig, Category, InfoEntry, InfoType } from './types.js';
export { ListStore, CdbList } from '../state/lists.js';
export { FileCheckDiffStore, MemoryCheckDiffStore, type CheckDiffStore, DEFAULT_CHECK_DIFF_MAX_BYTES } from '../state/check-diff-store.js';
export { FtsStore, IgnoreStore, FTS_DONE_MARK } from '../state/fts.js';
