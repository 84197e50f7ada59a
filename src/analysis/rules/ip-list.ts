/**
 * Rule `<srcip>`/`<dstip>` lists (ossec-analysis.md 5.3.1). Behaviour measured against
 * ossec-logtest 4.3.0 (see rules.test.ts for the cases):
 * * addresses are read the way getaddrinfo(AI_NUMERICHOST) reads them: IPv4 in every inet_aton
 *   form (`10.1` = 10.0.0.1, `167837953`, octal `010.1.1.1`, hex `0x0a010101`) but with nothing
 *   after it; IPv6 as inet_pton, with an optional `%zone`;
 * * `/prefix` is at most 3 characters read with atoi (`/ 8`, `/+8`, `/8x` are 8, `/` and `/x` are 0,
 *   a negative prefix means the whole address), and must not exceed 32 (IPv4) or 128 (IPv6);
 * * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) count as IPv4, on both sides;
 * * a prefix of 0 (and `any`) contains every address of either family;
 * * an event value must itself parse (its own `/prefix` is checked and ignored), else the list is
 *   false, even a negated one;
 * * entries are tried in order; the first that contains the address returns its sense (false for
 *   `!`); when none does, the result is the opposite of the last entry's sense.
 */
export interface IpEntry {
  /** As written, for messages. */
  text: string;
  negate: boolean;
  /** 4 or 16 bytes. */
  bytes: Uint8Array;
  prefix: number;
}

export interface ParsedIp {
  bytes: Uint8Array;
  /** -1 when no `/prefix` was written. */
  prefix: number;
}

/** Parses one rule list value; undefined when OSSEC would refuse to load the rule. */
export function parseIpEntry(text: string): IpEntry | undefined {
  let s = text;
  let negate = false;
  if (s.startsWith('!')) {
    negate = true;
    s = s.slice(1);
  }
  if (s === 'any') return { text, negate, bytes: new Uint8Array(4), prefix: 0 };
  const ip = parseIp(s);
  if (!ip) return undefined;
  const full = ip.bytes.length * 8;
  const prefix = ip.prefix < 0 ? full : Math.min(ip.prefix, full);
  return { text, negate, bytes: ip.bytes, prefix };
}

/** Parses `addr[/prefix]`; undefined when it is not an address OSSEC accepts. */
export function parseIp(s: string): ParsedIp | undefined {
  let addr = s;
  let prefix = -1;
  const slash = s.indexOf('/');
  let maxPrefix = 32;
  if (slash >= 0) {
    addr = s.slice(0, slash);
    const p = s.slice(slash + 1);
    if (p.length > 3) return undefined;
    prefix = atoi(p);
  }
  let bytes = parseIpv4(addr);
  if (!bytes) {
    bytes = parseIpv6(addr);
    if (!bytes) return undefined;
    maxPrefix = 128;
    if (isV4Mapped(bytes)) bytes = bytes.slice(12);
  }
  if (prefix > maxPrefix) return undefined;
  // A negative prefix selects the whole address (measured: `/-1` behaves as /32).
  return { bytes, prefix: slash >= 0 && prefix < 0 ? bytes.length * 8 : prefix };
}

/** OS_IPFoundList with the 4.3.0 semantics described above. */
export function ipListMatches(list: readonly IpEntry[], value: string): boolean {
  const ip = parseIp(value);
  if (!ip || list.length === 0) return false;
  for (const e of list) {
    if (contains(e, ip.bytes)) return !e.negate;
  }
  return list[list.length - 1].negate;
}

function contains(e: IpEntry, bytes: Uint8Array): boolean {
  if (e.prefix === 0) return true;
  if (e.bytes.length !== bytes.length) return false;
  let bits = e.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((e.bytes[i] & mask) !== (bytes[i] & mask)) return false;
  }
  return true;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** C atoi: leading blanks, an optional sign, then digits; anything else stops it. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? parseInt(m[1], 10) : 0;
}

/** glibc inet_aton without trailing text (__inet_aton_exact): 1 to 4 parts, decimal, 0octal or 0xhex. */
export function parseIpv4(s: string): Uint8Array | undefined {
  if (s === '') return undefined;
  const parts = s.split('.');
  if (parts.length > 4) return undefined;
  const vals: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) v = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = parseInt(p, 10);
    else return undefined;
    if (!Number.isFinite(v) || v > 0xffffffff) return undefined;
    vals.push(v);
  }
  const last = vals[vals.length - 1];
  const lead = vals.slice(0, -1);
  for (const v of lead) if (v > 0xff) return undefined;
  const restBits = 8 * (4 - lead.length);
  if (restBits < 32 && last >= 2 ** restBits) return undefined;
  let n = last;
  for (let i = 0; i < lead.length; i++) n += lead[i] * 2 ** (8 * (3 - i));
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** inet_pton(AF_INET6), plus a `%zone` suffix that getaddrinfo accepts and we ignore. */
export function parseIpv6(input: string): Uint8Array | undefined {
  let s = input;
  const pct = s.indexOf('%');
  if (pct >= 0) {
    if (pct === s.length - 1) return undefined;
    s = s.slice(0, pct);
  }
  if (!s.includes(':')) return undefined;
  const out = new Uint8Array(16);
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return undefined;
  const head = dbl >= 0 ? s.slice(0, dbl) : s;
  const tail = dbl >= 0 ? s.slice(dbl + 2) : '';
  const hw = head === '' ? [] : head.split(':');
  const tw = tail === '' ? [] : tail.split(':');
  const groups: number[] = [];
  const tailGroups: number[] = [];
  if (!readGroups(hw, groups, dbl < 0 && tw.length === 0)) return undefined;
  if (!readGroups(tw, tailGroups, true)) return undefined;
  const total = groups.length + tailGroups.length;
  if (dbl >= 0 ? total > 7 : total !== 8) return undefined;
  for (let i = 0; i < groups.length; i++) {
    out[2 * i] = groups[i] >> 8;
    out[2 * i + 1] = groups[i] & 0xff;
  }
  const off = 8 - tailGroups.length;
  for (let i = 0; i < tailGroups.length; i++) {
    out[2 * (off + i)] = tailGroups[i] >> 8;
    out[2 * (off + i) + 1] = tailGroups[i] & 0xff;
  }
  return out;
}

/** Reads hex groups; the last word of the address may be a dotted IPv4 (two groups). */
function readGroups(words: string[], into: number[], lastMayBeV4: boolean): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (lastMayBeV4 && i === words.length - 1 && w.includes('.')) {
      const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(w);
      if (!m) return false;
      const b = m.slice(1).map((x) => (x.length > 1 && x[0] === '0' ? NaN : Number(x)));
      if (b.some((x) => !(x >= 0 && x <= 255))) return false;
      into.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return false;
    into.push(parseInt(w, 16));
  }
  return true;
}
