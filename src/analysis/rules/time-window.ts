import { atoi } from './ip-list.js';

/**
 * Rule `<time>` and `<weekday>` (ossec-analysis.md 5.3.2; validate_op.c OS_IsValidTime/OS_IsonTime,
 * OS_IsValidDay/OS_IsonDay). Both are checked against the receive time in local time.
 */
export interface TimeRange {
  /** "HH:MM" strings, compared as strings like OSSEC does; both ends included. */
  from: string;
  to: string;
  /** True: the rule wants the time outside [from, to]. */
  negate: boolean;
}

/**
 * Parses `H[:MM][ am|pm] - H[:MM][ am|pm]` with an optional leading `!`. A range whose start is
 * after its end (past midnight) is stored as "not between end and start", which makes both of its
 * ends exclusive and drops any `!` the user wrote: OSSEC's behaviour, kept.
 */
export function parseTimeRange(text: string): TimeRange | undefined {
  let i = skipSpaces(text, 0);
  let negate = false;
  if (text[i] === '!') {
    negate = true;
    i = skipSpaces(text, i + 1);
  }
  const a = readHour(text, i);
  if (!a) return undefined;
  i = skipSpaces(text, a.next);
  if (text[i] !== '-') return undefined;
  i = skipSpaces(text, i + 1);
  const b = readHour(text, i);
  if (!b) return undefined;
  i = skipSpaces(text, b.next);
  if (i !== text.length) return undefined;
  if (a.hhmm > b.hhmm) return { from: b.hhmm, to: a.hhmm, negate: true };
  return { from: a.hhmm, to: b.hhmm, negate };
}

/** OS_IsonTime: `hhmm` is the event's "HH:MM". */
export function isOnTime(range: TimeRange, hhmm: string): boolean {
  const inside = hhmm >= range.from && hhmm <= range.to;
  return range.negate ? !inside : inside;
}

function skipSpaces(s: string, i: number): number {
  while (s[i] === ' ') i++;
  return i;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

const two = (n: number): string => (n < 0 ? `-${String(-n).padStart(1, '0')}` : String(n).padStart(2, '0'));

/** validate_op.c:__gethour, including its leniencies (minutes read with atoi, not range-checked). */
function readHour(s: string, start: number): { hhmm: string; next: number } | undefined {
  let i = start;
  const hour = atoi(s.slice(i));
  if (hour < 0 || hour >= 24) return undefined;
  let digits = 0;
  while (isDigit(s[i])) {
    digits++;
    i++;
  }
  if (digits > 2) return undefined;
  let minute = 0;
  if (s[i] === ':') {
    i++;
    if ((!isDigit(s[i]) || !isDigit(s[i + 1])) && isDigit(s[i + 2])) return undefined;
    minute = atoi(s.slice(i));
    i += 2;
    if (i > s.length) i = s.length;
  }
  i = skipSpaces(s, i);
  const c = s[i];
  if (c === 'a' || c === 'A') {
    if (s[i + 1] === 'm' || s[i + 1] === 'M') return { hhmm: `${two(hour)}:${two(minute)}`, next: i + 2 };
    return undefined;
  }
  if (c === 'p' || c === 'P') {
    if (s[i + 1] !== 'm' && s[i + 1] !== 'M') return undefined;
    const h = hour + 12;
    if (h >= 24) return undefined;
    return { hhmm: `${two(h)}:${two(minute)}`, next: i + 2 };
  }
  return { hhmm: `${two(hour)}:${two(minute)}`, next: i };
}

const DAY_WORDS: Array<[string, number]> = [
  ['sunday', 0], ['sun', 0], ['monday', 1], ['mon', 1], ['tuesday', 2], ['tue', 2],
  ['wednesday', 3], ['wed', 3], ['thursday', 4], ['thu', 4], ['friday', 5], ['fri', 5],
  ['saturday', 6], ['sat', 6], ['weekdays', 7], ['weekends', 8],
];

/**
 * Parses a weekday list: names and abbreviations, `weekdays`, `weekends`, separated by spaces or
 * commas, case-insensitive. Returns a 7-entry mask (Sunday = 0). A leading `!` makes the value
 * invalid: OSSEC notes the negation but never steps over the `!`, so loading fails (a bug kept as is,
 * ossec-analysis.md 12.6).
 */
export function parseWeekdays(text: string): boolean[] | undefined {
  const days = [false, false, false, false, false, false, false];
  let i = skipSpaces(text, 0);
  const lower = text.toLowerCase();
  while (i < text.length) {
    const hit = DAY_WORDS.find(([w]) => lower.startsWith(w, i));
    if (!hit) return undefined;
    const [word, d] = hit;
    if (d === 7) for (let k = 1; k <= 5; k++) days[k] = true;
    else if (d === 8) days[0] = days[6] = true;
    else days[d] = true;
    i += word.length;
    if (text[i] === ' ' || text[i] === ',') {
      while (text[i] === ' ' || text[i] === ',') i++;
      continue;
    }
    if (i < text.length) return undefined;
  }
  return days.some(Boolean) ? days : undefined;
}
