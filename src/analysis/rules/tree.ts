import { Deque, type HistoryEntry } from '../state/event-history.js';
import { atoi } from './ip-list.js';
import { osWordMatch } from './patterns.js';
import { SearchKind, type Rule, type RuleNode } from './rule.js';
import { SAME_DODIFF } from './types.js';

/**
 * The rule tree (ossec-analysis.md 5.5; rules_list.c). Rules are linked as they load, to parents
 * that exist at that moment. Levels are scaled (x100, 9900 for level 0) until finish().
 */
export class RuleTree {
  readonly roots: RuleNode[] = [];
  /** Every node by rule id, and the parent of every node: if_sid links and history marks use them instead of walking the tree. */
  private readonly nodesById = new Map<number, RuleNode[]>();
  private readonly parents = new Map<RuleNode, RuleNode | undefined>();

  /** Sorted insert (_OS_AddRule): before the first sibling with a lower scaled level; ties keep load order. */
  private insert(list: RuleNode[], rule: Rule, parent: RuleNode | undefined): void {
    const node: RuleNode = { rule, children: [], index: -1, candidates: undefined };
    const same = this.nodesById.get(rule.id);
    if (same === undefined) this.nodesById.set(rule.id, [node]);
    else same.push(node);
    this.parents.set(node, parent);
    for (let i = 0; i < list.length; i++) {
      if (rule.level > list[i].rule.level) {
        list.splice(i, 0, node);
        return;
      }
    }
    list.push(node);
  }

  addRoot(rule: Rule): void {
    this.insert(this.roots, rule, undefined);
  }

  /**
   * OS_AddChild. Returns an error message, undefined when linked, or null for the one case OSSEC
   * only logs (the rule then stays out of the tree). `ifSid`, `ifLevel`, `ifGroup` are the rule's
   * link elements, after the if_matched_* defaults of load.ts.
   */
  addChild(rule: Rule, ifSid: string | undefined, ifLevel: string | undefined, ifGroup: string | undefined, warn: (m: string) => void): string | undefined | null {
    if (ifSid !== undefined) {
      // A character walk that also acts on the terminating NUL: "100," and "100 " therefore also
      // link the rule under its category root (atoi("") = 0 takes the category branch). Measured.
      let val = false;
      for (let i = 0; i <= ifSid.length; i++) {
        const c = i < ifSid.length ? ifSid[i] : '';
        if (c === ',' || c === ' ') {
          val = false;
        } else if (c === '' || (c >= '0' && c <= '9')) {
          if (!val) {
            const sid = atoi(ifSid.slice(i));
            if (!this.addUnder(sid, rule)) return `if_sid: rule id ${sid} not found (it must be loaded before this rule)`;
            val = true;
          }
        } else {
          return `if_sid: '${ifSid}' is not a list of rule ids`;
        }
      }
      return undefined;
    }
    if (ifLevel !== undefined) {
      const level = atoi(ifLevel);
      if (level === 0) {
        // OSSEC logs "Invalid level" and leaves the rule out of the tree.
        warn(`${rule.file}:${rule.line}: rule ${rule.id}: if_level ${JSON.stringify(ifLevel)} is 0; the rule is not linked anywhere (as in OSSEC)`);
        return null;
      }
      if (!this.addTo(0, level * 100, undefined, this.roots, rule, undefined)) return `if_level: no rule of level ${level} or more`;
      return undefined;
    }
    if (ifGroup !== undefined) {
      if (!this.addTo(0, 0, ifGroup, this.roots, rule, undefined)) return `if_group: no loaded rule is in group '${ifGroup}'`;
      return undefined;
    }
    if (!this.addTo(0, 0, undefined, this.roots, rule, undefined)) return `no root rule of category '${rule.category}'`;
    return undefined;
  }

  /**
   * _AddtoRule. if_sid: within one sibling list the first node with that id takes the child and ends
   * that list, but other subtrees are still searched, so a rule present in several places gets the
   * child in each. if_level / if_group: every node at any depth that qualifies (the rule itself
   * excepted). Otherwise: the first root of the rule's category.
   */
  private addTo(
    sid: number,
    level: number,
    group: string | undefined,
    list: RuleNode[],
    rule: Rule,
    onPath: ReadonlySet<RuleNode> | undefined,
  ): boolean {
    let rc = false;
    for (let i = 0; i < list.length; i++) {
      const node = list[i];
      if (sid !== 0) {
        if (node.rule.id === sid) {
          rule.category = node.rule.category;
          this.insert(node.children, rule, node);
          return true;
        }
        // Subtrees holding no node with that id cannot take the child: not walked.
        if (onPath !== undefined && !onPath.has(node)) continue;
      } else if (group !== undefined) {
        if (osWordMatch(group, node.rule.groupText) && node.rule.id !== rule.id) {
          this.insert(node.children, rule, node);
          rc = true;
        }
      } else if (level !== 0) {
        if (node.rule.level >= level && node.rule.id !== rule.id) {
          this.insert(node.children, rule, node);
          rc = true;
        }
      } else if (rule.category !== node.rule.category) {
        continue;
      } else {
        this.insert(node.children, rule, node);
        return true;
      }
      if (node.children.length > 0 && this.addTo(sid, level, group, node.children, rule, onPath)) rc = true;
    }
    return rc;
  }

  /**
   * if_sid: _AddtoRule's walk, visiting only the ancestors of the nodes with that id (the result is
   * the same: a subtree without such a node never takes the child). Linear in the ruleset instead
   * of quadratic.
   */
  private addUnder(sid: number, rule: Rule): boolean {
    // atoi("") = 0: the category branch, as above.
    if (sid === 0) return this.addTo(0, 0, undefined, this.roots, rule, undefined);
    const targets = this.nodesById.get(sid);
    if (targets === undefined) return false;
    const onPath = new Set<RuleNode>();
    for (const t of targets) {
      for (let p = this.parents.get(t); p !== undefined && !onPath.has(p); p = this.parents.get(p)) onPath.add(p);
    }
    return this.addTo(sid, 0, undefined, this.roots, rule, onPath);
  }

  /** Every node, depth first, in tree order. */
  walk(): RuleNode[] {
    const out: RuleNode[] = [];
    const visit = (list: RuleNode[]): void => {
      for (const node of list) {
        out.push(node);
        if (node.children.length > 0) visit(node.children);
      }
    };
    visit(this.roots);
    return out;
  }

  /**
   * OS_AddRuleInfo: the first node with that id. Only asked for ids of 10 and more, which are
   * unique, so every node with the id holds the same rule.
   */
  find(id: number): Rule | undefined {
    return this.nodesById.get(id)?.[0]?.rule;
  }

  /**
   * After a new (not overwriting) rule is linked: how it searches history (rules.c, end of
   * Rules_OP_ReadRules). Returns a warning for an if_matched_sid that names no loaded rule.
   */
  setupSearch(rule: Rule): string | undefined {
    if (rule.ifMatchedSid !== 0) {
      rule.search = SearchKind.Sids;
      // OS_MarkID: the named rule gets a list (once) and this rule searches it.
      for (const n of this.nodesById.get(rule.ifMatchedSid) ?? []) {
        if (!n.rule.sidPrevMatched) n.rule.sidPrevMatched = new Deque<HistoryEntry>(16);
        rule.sidSearch = n.rule.sidPrevMatched;
      }
      if (!rule.sidSearch) return `rule ${rule.id}: if_matched_sid ${rule.ifMatchedSid} names no loaded rule; the rule never matches`;
      return undefined;
    }
    if (rule.ifMatchedGroup) {
      rule.search = SearchKind.Groups;
      rule.groupSearch = new Deque<HistoryEntry>(64);
      // OS_MarkGroup: only rules already in the tree (this one included) are marked, once per node.
      const pattern = rule.ifMatchedGroup;
      // Every node (the order of marking does not matter: each list is only pushed to).
      for (const n of this.parents.keys()) {
        if (!pattern.test(n.rule.groupText)) continue;
        (n.rule.groupPrevMatched ??= []).push(rule.groupSearch);
      }
      return undefined;
    }
    if (rule.context) {
      // check_diff alone uses no history: its context flag is dropped (5.3 check_diff).
      if ((rule.contextOpts & SAME_DODIFF) !== 0) rule.context = false;
      else rule.search = SearchKind.Events;
    }
    return undefined;
  }

  /**
   * _setlevels: divides the scaled levels back (9900 → 0) once per node visit, and counts the nodes
   * ("Total rules enabled": a rule linked in several places counts several times).
   */
  finish(): number {
    let count = 0;
    for (const n of this.walk()) {
      const r = n.rule;
      if (r.level === 9900) r.level = 0;
      if (r.level >= 100) r.level = Math.floor(r.level / 100);
      count++;
    }
    return count;
  }
}
