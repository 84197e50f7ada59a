import { ErrorCodes, OspatrolError } from '../errors.js';
import { compileOsMatch } from '../analysis/matchers/os-match.js';
import type { XmlElement } from './xml.js';

/**
 * Collects every problem in the file so they are reported together, each as
 * `file:line: <element>: reason`; a config with any error does not start.
 */
export class ErrorCollector {
  constructor(private readonly errors: OspatrolError[]) {}

  error(el: XmlElement, reason: string, element = el.name): void {
    this.errors.push(new OspatrolError(ErrorCodes.CONFIG_INVALID, reason, { file: el.file, line: el.line, element }));
  }

  /** Compared before and after a section to tell whether it added problems of its own. */
  get count(): number {
    return this.errors.length;
  }
}

export function text(el: XmlElement): string {
  return el.text.trim();
}

export function yesNo(c: ErrorCollector, el: XmlElement): boolean | undefined {
  const v = text(el).toLowerCase();
  if (v === 'yes') return true;
  if (v === 'no') return false;
  c.error(el, `must be "yes" or "no", got "${text(el)}"`);
  return undefined;
}

/** OSSEC writes these flags as empty elements (`<do_not_delay />`); `yes`/`no` are accepted too. */
export function flag(c: ErrorCollector, el: XmlElement): boolean | undefined {
  return text(el) === '' ? true : yesNo(c, el);
}

export function integer(c: ErrorCollector, el: XmlElement, min: number, max: number): number | undefined {
  const v = text(el);
  if (!/^\d+$/.test(v)) {
    c.error(el, `must be a whole number, got "${v}"`);
    return undefined;
  }
  const n = Number(v);
  if (n < min || n > max) {
    c.error(el, `must be between ${min} and ${max}, got ${n}`);
    return undefined;
  }
  return n;
}

/** Seconds, with an optional unit (`90`, `90s`, `10m`, `2h`, `1d`) or `hourly` / `daily`. */
export function seconds(c: ErrorCollector, el: XmlElement, min: number): number | undefined {
  const v = text(el).toLowerCase();
  if (v === 'hourly') return 3600;
  if (v === 'daily') return 86400;
  const m = /^(\d+)\s*([smhd]?)$/.exec(v);
  if (!m) {
    c.error(el, `must be a number of seconds (optionally with s, m, h or d), "hourly" or "daily"; got "${text(el)}"`);
    return undefined;
  }
  const n = Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
  if (n < min) {
    c.error(el, `must be at least ${min} second(s), got ${n}`);
    return undefined;
  }
  return n;
}

export function bytes(c: ErrorCollector, el: XmlElement): number | undefined {
  const v = text(el).toLowerCase();
  const m = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/.exec(v);
  if (!m) {
    c.error(el, `must be a size in bytes (optionally with K or M), got "${text(el)}"`);
    return undefined;
  }
  const unit = m[2] ?? 'b';
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  const n = Number(m[1]) * mult;
  if (n < 1) {
    c.error(el, 'must be at least 1 byte');
    return undefined;
  }
  return n;
}

export function nonEmpty(c: ErrorCollector, el: XmlElement): string | undefined {
  const v = text(el);
  if (v === '') c.error(el, 'must not be empty');
  return v === '' ? undefined : v;
}

/**
 * A host name or address. An invalid one is still returned: the error already keeps the
 * section out, and the caller's own checks (required options) run as before.
 */
export function host(c: ErrorCollector, el: XmlElement): string | undefined {
  const v = nonEmpty(c, el);
  if (v !== undefined && !/^([A-Za-z0-9._-]+|\[?[0-9A-Fa-f:.]+\]?)$/.test(v)) {
    c.error(el, `is not a host name or address: "${v}"`);
  }
  return v;
}

/** An e-mail address: one `local@domain`, no spaces or angle brackets (a header cannot be smuggled in). */
export function address(c: ErrorCollector, el: XmlElement): string | undefined {
  const v = text(el);
  if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(v)) {
    c.error(el, `must be one e-mail address (user@domain), got "${v}"`);
    return undefined;
  }
  return v;
}

/** An OS_Match pattern (group, location filters), compiled here so a bad one is reported with its line. */
export function osMatch(c: ErrorCollector, el: XmlElement): string | undefined {
  const v = text(el);
  if (v === '') {
    c.error(el, 'must not be empty');
    return undefined;
  }
  try {
    compileOsMatch(v);
  } catch (e) {
    c.error(el, `invalid pattern: ${(e as Error).message}`);
    return undefined;
  }
  return v;
}

/** `rule_id`: rule ids separated by commas or spaces (`5503, 5716`). */
export function ruleIds(c: ErrorCollector, el: XmlElement): number[] | undefined {
  const parts = text(el).split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => !/^\d{1,9}$/.test(p))) {
    c.error(el, `must be rule ids separated by commas, got "${text(el)}"`);
    return undefined;
  }
  return parts.map(Number);
}

export function required(c: ErrorCollector, section: XmlElement, have: unknown, name: string, why = ''): boolean {
  if (have !== undefined && have !== '') return true;
  c.error(section, `missing <${name}>${why}`);
  return false;
}
