import type { RuleNode } from './rule.js';

/**
 * A speed-up that cannot change results: a node's children narrowed to those whose first two filters
 * (decoded_as, program_name: 5.3 #1-2, which have no side effects) can pass for a given decoder id
 * and program name. Most events meet a root with a couple of hundred children, nearly all of which
 * fail on one of these two; the narrowed list, in the same order, is computed once per
 * (node, decoder id, program name) and reused. Not used while tracing, since `-v` prints every rule
 * tried.
 */
const MIN_CHILDREN = 4;
/** Program names per (node, decoder) kept before the cache is cleared (they come from logs). */
const MAX_NAMES = 512;

const NO_NAME = '\u0000';

export function candidates(node: RuleNode, decoderId: number, programName: string | undefined): RuleNode[] {
  const children = node.children;
  if (children.length < MIN_CHILDREN) return children;
  // Kept on the node itself: a WeakMap lookup per node visit cost more than the narrowing saved.
  let cache = node.candidates;
  if (cache === undefined) {
    cache = new Map();
    node.candidates = cache;
  }
  let byName = cache.get(decoderId);
  if (byName === undefined) {
    byName = new Map();
    cache.set(decoderId, byName);
  }
  const key = programName ?? NO_NAME;
  let list = byName.get(key);
  if (list === undefined) {
    list = children.filter((c) => {
      const r = c.rule;
      if (r.decodedAs !== 0 && r.decodedAs !== decoderId) return false;
      if (r.fProgramName !== null && (programName === undefined || !r.fProgramName.test(programName))) return false;
      return true;
    });
    if (byName.size >= MAX_NAMES) byName.clear();
    byName.set(key, list);
  }
  return list;
}
