/**
 * The local-time text forms alerts are printed with. OSSEC prints alert times in the host's local
 * time zone (`localtime_r`), with English month names whatever the locale (ossec-analysis.md 9.1),
 * so this uses the Date getters (which follow `TZ`) and a fixed month table, never Intl.
 */

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export interface LocalDay {
  year: number;
  /** 0..11 */
  month: number;
  /** 1..31 */
  day: number;
}

/** Throws on NaN/Infinity: every caller needs a real instant (a file name, a date line). */
export function toDate(ms: number): Date {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RangeError(`alert timestamp must be a finite number of epoch milliseconds, got ${String(ms)}`);
  }
  return new Date(ms);
}

export function localDay(ms: number): LocalDay {
  const d = toDate(ms);
  return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate() };
}

/**
 * Start of the local day containing `ms` and of the next one. Built from calendar fields rather
 * than by adding 24 h, so days of 23 or 25 hours (DST changes) get the right bounds.
 */
export function localDayBounds(ms: number): { start: number; end: number } {
  const { year, month, day } = localDay(ms);
  return { start: new Date(year, month, day).getTime(), end: new Date(year, month, day + 1).getTime() };
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

let ossecTimeSecond = NaN;
let ossecTimeZone: string | undefined;
let ossecTimeText = '';

/**
 * `2026 Nov 24 19:44:47`: the second line of an alerts.log record (9.1). Alerts come in bursts
 * within one second, so the text of the last second is kept (with the TZ it was made in: Node
 * follows a change of TZ at run time, and so do we).
 */
export function formatOssecTime(ms: number): string {
  // NaN (a bad timestamp) never equals, and a non-number is never taken: toDate throws as before.
  const second = Math.floor(ms / 1000);
  const zone = process.env.TZ;
  if (second === ossecTimeSecond && zone === ossecTimeZone && typeof ms === 'number') return ossecTimeText;
  const d = toDate(ms);
  ossecTimeSecond = second;
  ossecTimeZone = zone;
  ossecTimeText =
    `${d.getFullYear()} ${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return ossecTimeText;
}

/**
 * `2025-08-14T13:52:16.026+0000`: local time with milliseconds and a colon-less offset, exactly the
 * form Wazuh writes in alerts.json (peers.md 1.7), so existing JSON consumers parse it unchanged.
 */
export function formatIsoLocal(ms: number): string {
  const d = toDate(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const ms3 = d.getMilliseconds();
  return (
    `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}` +
    `T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}` +
    `.${ms3 < 10 ? `00${ms3}` : ms3 < 100 ? `0${ms3}` : ms3}` +
    `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  );
}
