import { readFileSync } from 'node:fs';
import { ErrorCodes, OspatrolError } from '../../errors.js';
import type { ListStore } from '../state/lists.js';
import { compileRule } from './compile.js';
import { parseRuleFile } from './load.js';
import { ruleError } from './load-elements.js';
import { SearchKind, type Rule, type RuleNode } from './rule.js';
import { RuleTree } from './tree.js';
import { SAME_DODIFF, type RuleConfig } from './types.js';

export interface LoadRulesOptions {
  /** Decoder id by name for `<decoded_as>` (from the loaded decoders). */
  decoderIdOf: (name: string) => number | undefined;
  /** <alerts><log_alert_level> (default 1). */
  logAlertLevel?: number;
  /** <alerts><email_alert_level> (default 7). */
  emailAlertLevel?: number;
  /** The configured CDB-style lists, for `<list>`. */
  lists?: ListStore;
  /** analysisd.default_timeframe (default 360 seconds). */
  defaultTimeframe?: number;
}

/** A rule file by path, optionally with its text already read (tests, stdin). */
export interface RuleSource {
  file: string;
  text?: string;
}

/** A loaded, linked ruleset: what the engine evaluates. */
export interface Ruleset {
  /** Root rules in order (ids below 10, OSSEC's rules_config.xml). */
  readonly roots: RuleNode[];
  /** Rules by id (the first of a repeated root id). */
  readonly byId: ReadonlyMap<number, Rule>;
  /** OSSEC's "Total rules enabled": tree nodes, a rule linked in several places counted each time. */
  readonly nodeCount: number;
  /** The largest frequency attribute of any rule (OSSEC's _max_freq, used by EventList trimming). */
  readonly maxFrequency: number;
  /** What the files said, in load order. */
  readonly configs: readonly RuleConfig[];
  /** Problems OSSEC only logs (the rule still loads). */
  readonly warnings: readonly string[];
  /**
   * The tree's rule ids in tree order, hashed: two threads that loaded the same files agree on it,
   * so node indexes (RuleNode.index) mean the same node in both (parallel/).
   */
  readonly shape: string;
}

function shapeOf(nodes: readonly RuleNode[]): string {
  let h = 0x811c9dc5;
  for (const n of nodes) {
    h = Math.imul(h ^ n.rule.id, 0x01000193) >>> 0;
    h = Math.imul(h ^ n.children.length, 0x01000193) >>> 0;
  }
  return `${nodes.length}:${h.toString(16)}`;
}

/**
 * Loads rule files in order (5.1: order matters, rules link to parents already loaded), builds the
 * tree (5.5) and finishes levels. Throws OspatrolError with file:line on the first problem, as
 * OSSEC stops at the first bad rule.
 */
export function loadRuleset(sources: ReadonlyArray<string | RuleSource>, opts: LoadRulesOptions): Ruleset {
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
  };
  const tree = new RuleTree();
  const placed = new Set<number>();
  const configs: RuleConfig[] = [];
  let maxFrequency = 0;
  const cOpts = { logAlertLevel: opts.logAlertLevel ?? 1, emailAlertLevel: opts.emailAlertLevel ?? 7, lists: opts.lists, warn };

  for (const src of sources) {
    const file = typeof src === 'string' ? src : src.file;
    let text = typeof src === 'string' ? undefined : src.text;
    if (text === undefined) {
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new OspatrolError(ErrorCodes.CONFIG_MISSING_FILE, `cannot read rule file: ${(e as Error).message}`, { file });
      }
    }
    for (const cfg of parseRuleFile(text, file, opts)) {
      configs.push(cfg);
      const fail = (reason: string): never => {
        throw ruleError(cfg.file, cfg.line, 'rule', `rule ${cfg.id}: ${reason}`);
      };
      if (!cfg.overwrite && placed.has(cfg.id)) {
        if (cfg.id >= 10) fail(`duplicate rule id (use overwrite="yes" to replace a rule)`);
        // OSPatrol 2.7's shipped rules_config.xml defines root 07 twice (categories ossec and
        // ospatrol, the same category there). OSPatrol's own loader refuses that; the reference runs
        // rename the second root to 08. We keep it as an extra root, which behaves the same (it never
        // gets children: new rules link under the first root of their category) and only differs by
        // its id in `-v` traces.
        warn(`${cfg.file}:${cfg.line}: rule ${cfg.id}: duplicate root rule id; kept as an additional root`);
      }
      const rule = compileRule(cfg, cOpts);
      if (cfg.frequency > maxFrequency) maxFrequency = cfg.frequency;
      if (cfg.id < 10) {
        // Template roots are always added, overwrite or not (rules.c).
        tree.addRoot(rule);
        placed.add(cfg.id);
      } else if (cfg.overwrite) {
        const target = tree.find(cfg.id);
        if (!target) fail('overwrite="yes" but no loaded rule has this id');
        const t = target as Rule;
        if (rule.context && t.search === SearchKind.None && (rule.contextOpts & SAME_DODIFF) === 0 && !t.context) {
          // OSSEC would call a NULL search function on the first matching event and crash.
          fail('overwrite="yes" cannot turn a rule without if_matched_*/frequency into a context rule');
        }
        t.overwriteFrom(rule);
        continue;
      } else {
        const err = tree.addChild(rule, cfg.ifSid, cfg.ifLevel, cfg.ifGroup, warn);
        if (typeof err === 'string') fail(err);
        if (err === undefined) placed.add(cfg.id);
      }
      const w = tree.setupSearch(rule);
      if (w !== undefined) warn(`${cfg.file}:${cfg.line}: ${w}`);
    }
  }

  const nodeCount = tree.finish();
  const byId = new Map<number, Rule>();
  const nodes = tree.walk();
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    n.index = i;
    if (!byId.has(n.rule.id)) byId.set(n.rule.id, n.rule);
  }
  for (const r of new Set(nodes.map((n) => n.rule))) r.finish();
  return { roots: tree.roots, byId, nodeCount, maxFrequency, configs, warnings, shape: shapeOf(nodes) };
}
