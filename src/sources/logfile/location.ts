import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A `<location>` as written: a plain path, a strftime pattern (`/var/log/app-%Y-%m-%d.log`), a glob
 * (`/var/log/*.log`), or both. OSSEC expands globs once at start and dated names once a day
 * (ossec-platform.md 1.4); we re-expand both on every rescan, so files created later are picked up.
 * strftime is applied first, then the glob, so `/var/log/app-%Y%m%d-*.log` works.
 */
export class LocationPattern {
  readonly dated: boolean;
  readonly glob: boolean;

  constructor(readonly pattern: string) {
    this.dated = pattern.includes('%');
    this.glob = hasGlob(pattern);
  }

  /** Whether the set of paths can change over time. */
  get dynamic(): boolean {
    return this.dated || this.glob;
  }

  /** Current paths, sorted. A plain path is returned whether or not it exists (it may appear). */
  async expand(now: Date): Promise<string[]> {
    const p = this.dated ? strftime(this.pattern, now) : this.pattern;
    return hasGlob(p) ? expandGlob(p) : [p];
  }
}

export function hasGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The strftime subset that makes sense in file names, in local time and the C locale (as OSSEC's
 * strftime call). Unknown conversions are left as written.
 */
export function strftime(pattern: string, d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return pattern.replace(/%([a-zA-Z%])/g, (whole, c: string) => {
    switch (c) {
      case 'Y': return String(d.getFullYear());
      case 'y': return p2(d.getFullYear() % 100);
      case 'm': return p2(d.getMonth() + 1);
      case 'd': return p2(d.getDate());
      case 'e': return String(d.getDate()).padStart(2, ' ');
      case 'H': return p2(d.getHours());
      case 'I': return p2(((d.getHours() + 11) % 12) + 1);
      case 'M': return p2(d.getMinutes());
      case 'S': return p2(d.getSeconds());
      case 'p': return d.getHours() < 12 ? 'AM' : 'PM';
      case 'j': return String(dayOfYear(d)).padStart(3, '0');
      case 'b': case 'h': return MONTHS[d.getMonth()].slice(0, 3);
      case 'B': return MONTHS[d.getMonth()];
      case 'a': return DAYS[d.getDay()].slice(0, 3);
      case 'A': return DAYS[d.getDay()];
      case 's': return String(Math.floor(d.getTime() / 1000));
      case '%': return '%';
      default: return whole;
    }
  });
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return Math.round((new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - start.getTime()) / 86_400_000) + 1;
}

/**
 * glob(3) semantics for `*`, `?`, `[...]` (with `!`/`^` negation) and `\` escapes, per path segment;
 * a leading `.` must be matched explicitly. Only regular files are returned (a directory matched by
 * `*` is not a log), sorted as glob(3) does. Unreadable directories simply match nothing.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let candidates = [absolute ? '/' : '.'];
  if (absolute) segments.shift();
  for (const seg of segments) {
    if (!hasGlob(seg)) {
      const lit = unescapeGlob(seg);
      candidates = candidates.map((c) => join(c, lit));
      continue;
    }
    const re = globSegmentRegex(seg);
    const next: string[] = [];
    for (const dir of candidates) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.') && !seg.startsWith('.')) continue;
        if (re.test(name)) next.push(join(dir, name));
      }
    }
    candidates = next;
    if (candidates.length === 0) return [];
  }
  const files: string[] = [];
  for (const c of candidates) {
    try {
      if ((await stat(c)).isFile()) files.push(c);
    } catch {
      // vanished between readdir and stat
    }
  }
  return files.sort();
}

export function globSegmentRegex(seg: string): RegExp {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '\\' && i + 1 < seg.length) {
      re += escapeRegex(seg[++i]);
    } else if (c === '*') {
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      let j = i + 1;
      const negate = seg[j] === '!' || seg[j] === '^';
      if (negate) j++;
      if (seg[j] === ']') j++; // a leading ] is a member
      while (j < seg.length && seg[j] !== ']') j++;
      if (j >= seg.length) {
        re += '\\[';
        continue;
      }
      const body = seg.slice(i + 1 + (negate ? 1 : 0), j).replace(/[\\\]^]/g, (m) => `\\${m}`);
      re += `[${negate ? '^' : ''}${body}]`;
      i = j;
    } else {
      re += escapeRegex(c);
    }
  }
  return new RegExp(`${re}$`, 's');
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function unescapeGlob(seg: string): string {
  return seg.replace(/\\(.)/g, '$1');
}
