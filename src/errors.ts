/**
 * Every error OSPatrol reports on purpose, with a stable code (fastify's habit: one registry, one
 * place to look). Load-time errors carry the file, line and element they come from, so a user sees
 * `etc/ospatrol.conf:12: <frequency>: must be a number of seconds, got "soon"`.
 */
export const ErrorCodes = {
  CONFIG_XML: 'OSP_ERR_CONFIG_XML',
  CONFIG_INVALID: 'OSP_ERR_CONFIG_INVALID',
  CONFIG_MISSING_FILE: 'OSP_ERR_CONFIG_MISSING_FILE',
  PATTERN_INVALID: 'OSP_ERR_PATTERN_INVALID',
  DECODER_INVALID: 'OSP_ERR_DECODER_INVALID',
  RULE_INVALID: 'OSP_ERR_RULE_INVALID',
  LIST_INVALID: 'OSP_ERR_LIST_INVALID',
  STATE_IO: 'OSP_ERR_STATE_IO',
  USAGE: 'OSP_ERR_USAGE',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface SourcePosition {
  file?: string;
  line?: number;
  /** The element name, printed as `<name>`. */
  element?: string;
}

export class OspatrolError extends Error {
  readonly code: ErrorCode;
  readonly position: SourcePosition;
  /** The bare reason, without the position prefix. */
  readonly reason: string;

  constructor(code: ErrorCode, reason: string, position: SourcePosition = {}) {
    super(formatPosition(position) + reason);
    this.name = 'OspatrolError';
    this.code = code;
    this.reason = reason;
    this.position = position;
  }
}

/** `file:line: <element>: ` with whichever parts are known. */
export function formatPosition(p: SourcePosition): string {
  let out = '';
  if (p.file) out += p.line ? `${p.file}:${p.line}: ` : `${p.file}: `;
  if (p.element) out += `<${p.element}>: `;
  return out;
}

/** Raised by the matchers; loaders catch it and add file:line. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/**
 * Several errors at once: configuration is validated as a whole and every problem reported,
 * not only the first (Vector's habit).
 */
export class ConfigErrors extends Error {
  readonly errors: OspatrolError[];
  constructor(errors: OspatrolError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ConfigErrors';
    this.errors = errors;
  }
}
