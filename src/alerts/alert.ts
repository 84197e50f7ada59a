/**
 * What the engine emits and every sink consumes. Plain data: a sink never reaches back into the
 * engine, and an alert can be serialised to a durable stream as is.
 */
export interface Alert {
  /** `<epoch seconds>.<n>`: n is the alert's journal sequence number, unique for the life of the state directory (ossec-analysis.md 9.1). */
  id: string;
  /** Receive time of the event, epoch ms. */
  timestamp: number;
  rule: AlertRule;
  agent: { id: string; name: string; ip?: string };
  /** Host the event is about; printed as `<hostname>-><location>` unless equal to the location. */
  hostname: string;
  location: string;
  fullLog: string;
  /** check_diff: the stored output before this change. */
  previousOutput?: string;
  /**
   * check_diff: what changed between the previous and the current output (lines removed and
   * added, and a unified diff text). Filled by the change-intelligence work (issue 6).
   */
  diff?: AlertDiff;
  /** Lines printed after full_log: `Previous output:` + old text, or earlier events of a frequency rule. */
  context: string[];
  decoder?: { name: string; parent?: string };
  programName?: string;
  /** Decoded fields by canonical name (`srcip`, `dstuser`, ...) and dynamic fields. */
  fields: Record<string, string>;
}

export interface AlertRule {
  id: number;
  level: number;
  description: string;
  /** Group names, in order (`ossec,process_monitor`). */
  groups: string[];
  /** The group string as OSSEC builds it, normally ending in `,` (printed in alerts.log). */
  groupText: string;
  /** alerts.log ` mail ` marker: level >= email_alert_level or alert_by_email (9.1). */
  mail: boolean;
  firedtimes: number;
  info?: Array<{ type: string; value: string }>;
}

export interface AlertDiff {
  added: string[];
  removed: string[];
  /** Unified diff text (`-` / `+` lines with context), or a summary when the diff was too large to compute. */
  unified: string;
  /** True when the diff could not be computed within its bounds and `unified` is a summary. */
  truncated?: boolean;
  /**
   * `change` (the default when absent), `flapping` (one alert summarising a change that reverted
   * or kept changing) or `baseline` (the first output seen, when the rule reports it).
   */
  kind?: 'change' | 'flapping' | 'baseline';
  /** One line for people: counts, how the outputs were compared, any cut or fallback. */
  summary?: string;
}
