/**
 * The read API over stored alerts, dialect-neutral: what a caller may ask, checked once, and the
 * positional parameter order every dialect's SELECT uses. Each combination of filters is its own
 * statement (a "shape"), prepared once and reused, so the SQL never carries a value and the
 * planner sees only the conditions that apply (no `? IS NULL OR ...` that defeats indexes).
 */
export interface AlertQuery {
  /** Minimum level (alerts with level >= this). */
  level?: number;
  ruleId?: number;
  /** Agent name or agent id (`web1` or `001`). */
  agent?: string;
  /** Only alerts whose event time is at or after this (epoch ms or a Date). */
  since?: number | Date;
  /** At most this many alerts (default 100). */
  limit?: number;
  /** `newest` first (default), or `oldest` first for a reader walking forward from `since`. */
  order?: 'newest' | 'oldest';
}

export const DEFAULT_QUERY_LIMIT = 100;

export interface AlertQueryShape {
  level: boolean;
  ruleId: boolean;
  agent: boolean;
  since: boolean;
  order: 'newest' | 'oldest';
}

export interface PlannedAlertQuery {
  shape: AlertQueryShape;
  /** Stable key of the shape, for a statement cache. */
  key: string;
  /**
   * Parameters in the order every dialect's SELECT expects them: level, ruleId, agent (twice: name,
   * then agent id), since, then limit always last. Absent filters contribute nothing.
   */
  params: Array<number | string>;
}

/** Throws a RangeError/TypeError for a filter that is not what it claims to be. */
export function planAlertQuery(q: AlertQuery = {}): PlannedAlertQuery {
  const params: Array<number | string> = [];
  const shape: AlertQueryShape = { level: false, ruleId: false, agent: false, since: false, order: q.order ?? 'newest' };
  if (shape.order !== 'newest' && shape.order !== 'oldest') throw new RangeError(`order must be "newest" or "oldest", got ${String(q.order)}`);
  if (q.level !== undefined) {
    shape.level = true;
    params.push(integer('level', q.level));
  }
  if (q.ruleId !== undefined) {
    shape.ruleId = true;
    params.push(integer('ruleId', q.ruleId));
  }
  if (q.agent !== undefined) {
    if (typeof q.agent !== 'string') throw new TypeError('agent must be a string');
    shape.agent = true;
    params.push(q.agent, q.agent);
  }
  if (q.since !== undefined) {
    const ms = q.since instanceof Date ? q.since.getTime() : q.since;
    shape.since = true;
    params.push(integer('since', Math.trunc(ms)));
  }
  const limit = integer('limit', q.limit ?? DEFAULT_QUERY_LIMIT);
  if (limit < 1) throw new RangeError(`limit must be at least 1, got ${limit}`);
  params.push(limit);
  const key = `${+shape.level}${+shape.ruleId}${+shape.agent}${+shape.since}${shape.order}`;
  return { shape, key, params };
}

function integer(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new RangeError(`${name} must be an integer, got ${String(v)}`);
  return v;
}
