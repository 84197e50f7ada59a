/**
 * The syslog-header pre-decoder of OSSEC 4.3.0 (`cleanevent.c:OS_CleanMSG_ex`, ossec-analysis.md
 * section 2), reproduced on the message's UTF-8 bytes because every test is at a fixed byte
 * position and a multi-byte character shifts them (the `Mär` fix exists for exactly that).
 *
 * The C code works on two copies of the message: it tests positions on one (`pieces`, possibly the
 * `Mär`-fixed copy) and moves the `log` pointer through the other, writing NUL bytes into it to end
 * the hostname, the program name and the ASL fields. Those writes matter: e.g. an AIX line whose
 * program name is not followed by `: ` leaves `program_name` running to the end of the line, and
 * an ASL line with a `[Sender ...]` but no `[Message ...]` has its `log` cut at the Sender's `]`.
 * So this is a faithful port over a mutable byte buffer, reading C strings (up to a NUL) at the end.
 */

export interface SyslogHeader {
  hostname: string | undefined;
  programName: string | undefined;
  log: string;
}

/** `os_regex_maps.c:hostname_map`: A-Z a-z 0-9 - . _ @ / ( ) (ossec-analysis.md 2). */
function isValidChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x5f || // _
    c === 0x40 || // @
    c === 0x2f || // /
    c === 0x28 || // (
    c === 0x29 // )
  );
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isAlnum = (c: number) => isDigit(c) || isLower(c) || (c >= 0x41 && c <= 0x5a);

const SP = 0x20;
const COLON = 0x3a;

/**
 * A NUL-terminated byte buffer; reads past the end give 0, like the C string's terminator.
 * Two forms with one interface: real UTF-8 bytes (any message), and an ASCII string read in place
 * (the common case: its chars are its bytes, so no encoding, copying or decoding is needed). The
 * NUL bytes the C code writes are kept as a short list of cut positions in the ASCII form.
 */
interface CBuf {
  at(i: number): number;
  set(i: number, v: number): void;
  /** The C string starting at `i`, decoded as UTF-8. */
  str(i: number): string;
  /** strchr */
  find(from: number, c: number): number;
  /** strstr */
  findStr(from: number, s: string): number;
  startsWith(i: number, s: string): boolean;
}

class ByteBuf implements CBuf {
  constructor(private readonly b: Uint8Array) {}
  at(i: number): number {
    return i >= 0 && i < this.b.length ? this.b[i] : 0;
  }
  set(i: number, v: number): void {
    if (i >= 0 && i < this.b.length) this.b[i] = v;
  }
  str(i: number): string {
    if (i >= this.b.length) return '';
    let end = i;
    while (end < this.b.length && this.b[end] !== 0) end++;
    return Buffer.from(this.b.buffer, this.b.byteOffset + i, end - i).toString('utf8');
  }
  find(from: number, c: number): number {
    for (let i = from; i < this.b.length && this.b[i] !== 0; i++) if (this.b[i] === c) return i;
    return -1;
  }
  findStr(from: number, s: string): number {
    for (let i = from; i < this.b.length && this.b[i] !== 0; i++) {
      let k = 0;
      while (k < s.length && this.at(i + k) === s.charCodeAt(k)) k++;
      if (k === s.length) return i;
    }
    return -1;
  }
  startsWith(i: number, s: string): boolean {
    for (let k = 0; k < s.length; k++) if (this.at(i + k) !== s.charCodeAt(k)) return false;
    return true;
  }
}

/** An ASCII message without NUL bytes (control characters are gone before this runs). */
class AsciiBuf implements CBuf {
  /** Positions where a NUL was written, in no order (at most a handful). */
  private nuls: number[] | null = null;
  constructor(private readonly s: string) {}
  private end(from: number): number {
    let e = this.s.length;
    const n = this.nuls;
    if (n !== null) for (let k = 0; k < n.length; k++) if (n[k] >= from && n[k] < e) e = n[k];
    return e;
  }
  at(i: number): number {
    if (i < 0 || i >= this.s.length) return 0;
    const n = this.nuls;
    if (n !== null && n.includes(i)) return 0;
    return this.s.charCodeAt(i);
  }
  set(i: number, v: number): void {
    if (i < 0 || i >= this.s.length) return;
    if (v === 0) (this.nuls ??= []).push(i);
    else if (this.nuls !== null) {
      // Only ever used to put back the char that was there (the `[` of a bad pid).
      const k = this.nuls.indexOf(i);
      if (k >= 0) this.nuls.splice(k, 1);
      if (this.s.charCodeAt(i) !== v) throw new Error('AsciiBuf: only a written NUL can be undone');
    }
  }
  str(i: number): string {
    if (i >= this.s.length) return '';
    const e = this.end(i);
    return i === 0 && e === this.s.length ? this.s : this.s.slice(i, e);
  }
  find(from: number, c: number): number {
    const e = this.end(from);
    const k = this.s.indexOf(String.fromCharCode(c), from);
    return k < 0 || k >= e ? -1 : k;
  }
  findStr(from: number, s: string): number {
    // A match must lie wholly before the next NUL, as strstr stops there.
    const e = this.end(from);
    const k = this.s.indexOf(s, from);
    return k < 0 || k + s.length > e ? -1 : k;
  }
  startsWith(i: number, s: string): boolean {
    for (let k = 0; k < s.length; k++) if (this.at(i + k) !== s.charCodeAt(k)) return false;
    return true;
  }
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** Parses the header of an already cleaned message. */
export function parseSyslogHeader(message: string): SyslogHeader {
  let L: CBuf;
  let p: CBuf;
  let loglen: number;
  if (!NON_ASCII.test(message) && message.indexOf('\0') < 0) {
    // The common case: the string is its own byte string; nothing to encode or copy.
    L = new AsciiBuf(message);
    p = new AsciiBuf(message);
    loglen = message.length + 1;
  } else {
    const bytes = Buffer.from(message, 'utf8');
    // `log` and everything it points to live in this copy; the tests read `p`.
    L = new ByteBuf(new Uint8Array(bytes));
    loglen = bytes.length + 1;
    p = new ByteBuf(new Uint8Array(bytes));

    // "Mär 02 17:30:52": a 2-byte ä would shift every later position, so the tests run on a copy
    // that reads "Mar..." one byte shorter (ossec-analysis.md 2). `log` is not shifted.
    if (p.at(1) === 0xc3 && p.at(2) === 0xa4) {
      const fixed = new Uint8Array(bytes.length - 1);
      fixed[0] = 0x4d; // M
      fixed[1] = 0x61; // a
      fixed.set(bytes.subarray(3), 2);
      p = new ByteBuf(fixed);
    }
  }
  const at = (i: number) => p.at(i);
  const is = (i: number, ch: string) => p.at(i) === ch.charCodeAt(0);

  let log = 0;
  let hostname = -1;
  let program = -1;

  const familyA = (): number => {
    // A1 `Dec 29 10:00:01 `
    if (loglen > 17 && is(3, ' ') && is(6, ' ') && is(9, ':') && is(12, ':') && is(15, ' ')) return 16;
    // A2 `2015-04-16 21:51:02,805 `
    if (loglen > 24 && is(4, '-') && is(7, '-') && is(10, ' ') && is(13, ':') && is(16, ':') && is(19, ',')) return 23;
    if (loglen > 33 && is(4, '-') && is(7, '-') && is(10, 'T') && is(13, ':') && is(16, ':')) {
      // A3 `2007-06-14T15:48:55-04:00 `
      if (is(22, ':') && is(25, ' ')) return 26;
      // A4 `2009-05-22T09:36:46.214994-07:00 ` (1 to 6 fraction digits)
      if (is(19, '.') || is(19, ',')) {
        for (let k = 24; k <= 29; k++) if (is(k, ':')) return k + 3;
      }
    }
    // A5 `2015 Dec 29 10:00:01 `
    if (loglen > 21 && isDigit(at(0)) && is(4, ' ') && is(8, ' ') && is(11, ' ') && is(14, ':') && is(17, ':') && is(20, ' ')) {
      return 21;
    }
    // A6 `2019:11:06-00:08:03 `
    if (loglen > 20 && isDigit(at(0)) && is(4, ':') && is(7, ':') && is(10, '-') && is(13, ':') && is(16, ':')) return 20;
    return 0;
  };

  const skipA = familyA();
  if (skipA > 0) {
    log += skipA;
    if (L.at(log) === SP) log++;

    hostname = log;
    let q = log;
    while (isValidChar(L.at(q))) q++;
    let rest: number | null; // `pieces` of the C code; null is its NULL

    if (L.at(q) === COLON && L.at(q + 1) === SP) {
      // Solaris style, no hostname: the token is the program name.
      program = hostname;
      hostname = -1;
      L.set(q, 0);
      q += 2;
      log = q;
      rest = q;
    } else if (L.at(q) !== SP) {
      hostname = -1;
      rest = null;
    } else {
      L.set(q, 0);
      q++;
      log = q;
      program = q;
      while (isValidChar(L.at(q))) q++;
      rest = q;
      if (L.at(q) === COLON && L.at(q + 1) === SP) {
        L.set(q, 0);
        rest = q + 2;
      } else if (L.at(q) === 0x5b && isDigit(L.at(q + 1))) {
        // name[pid]: or name[pid]
        L.set(q, 0);
        q += 2;
        while (isDigit(L.at(q))) q++;
        if (L.at(q) === 0x5d && L.at(q + 1) === COLON && L.at(q + 2) === SP) rest = q + 3;
        else if (L.at(q) === 0x5d && L.at(q + 1) === SP) rest = q + 2;
        else {
          // Not a pid after all: put the `[` back; no program name, log stays at the token.
          q--;
          while (isDigit(L.at(q))) q--;
          if (L.at(q) === 0) L.set(q, 0x5b);
          rest = null;
          program = -1;
        }
      } else if (L.at(q) === 0x7c && isLower(L.at(q + 1))) {
        // AIX: `facility|severity:x name: ` or `... name[pid]: `
        q += 2;
        while (isAlnum(L.at(q))) q++;
        if (L.at(q) === COLON) {
          q++;
          while (isAlnum(L.at(q))) q++;
          if (L.at(q) === SP) {
            q++;
            program = q;
            while (isValidChar(L.at(q))) q++;
            rest = q;
            if (L.at(q) === COLON && L.at(q + 1) === SP) {
              L.set(q, 0);
              rest = q + 2;
            } else if (L.at(q) === 0x5b && isDigit(L.at(q + 1))) {
              L.set(q, 0);
              q += 2;
              while (isDigit(L.at(q))) q++;
              // Here a bad `[pid]` keeps the program name (cut at `[`) and `log` at the token.
              rest = L.at(q) === 0x5d && L.at(q + 1) === COLON && L.at(q + 2) === SP ? q + 3 : null;
            }
            // Any other char: program_name runs on to the end of the line (nothing ends it).
          } else {
            rest = null;
            program = -1;
          }
        } else {
          rest = null;
          program = -1;
        }
      } else {
        rest = null;
        program = -1;
      }
    }

    if (rest !== null) {
      log = rest;
      // Solaris message id `[ID 123 facility.severity] `
      if (L.startsWith(rest, '[ID ')) {
        const end = L.findStr(rest + 4, '] ');
        if (end >= 0) log = end + 2;
      }
    }
  } else if (
    // xferlog `Mon Apr 17 18:27:14 2006 1 ...`
    loglen > 28 &&
    is(3, ' ') &&
    is(7, ' ') &&
    is(10, ' ') &&
    is(13, ':') &&
    is(16, ':') &&
    is(19, ' ') &&
    is(24, ' ') &&
    is(26, ' ')
  ) {
    log += 24;
  } else if (loglen > 24 && is(2, '/') && is(5, '-') && is(8, ':') && is(11, ':') && is(14, '.') && is(21, ' ')) {
    // snort `01/28-09:13:16.240702  [**]`
    log += 23;
  } else if (loglen > 26 && is(2, '/') && is(5, '/') && is(10, '-') && is(13, ':') && is(16, ':') && is(19, '.') && is(26, ' ')) {
    // suricata `01/28/1979-09:13:16.240702  [**]`
    log += 28;
  } else if (
    // apache error log `[Fri Feb 11 18:06:35 2004] [warn]`
    loglen > 27 &&
    is(0, '[') &&
    is(4, ' ') &&
    is(8, ' ') &&
    is(11, ' ') &&
    is(14, ':') &&
    is(17, ':') &&
    is(20, ' ') &&
    is(25, ']')
  ) {
    log += 27;
  } else if (loglen > 26 && is(0, '[') && is(1, 'T') && is(5, ' ') && is(10, '.') && is(13, '.') && is(16, ' ') && is(19, ':')) {
    // OS X ASL `[Time 2006.12.28 15:53:55 UTC] [Sender sshd] [Message ...] [Host h]`
    log += 25;
    let doneMessage = false;
    let q = L.find(log, 0x5b);
    while (q >= 0) {
      q++;
      if (L.startsWith(q, 'Sender ') && program < 0) {
        q += 7;
        program = q;
        q = L.find(q, 0x5d);
        if (q < 0) {
          program = -1;
          break;
        }
        L.set(q, 0);
        q++;
      } else if (L.startsWith(q, 'Message ') && !doneMessage) {
        // Only the first [Message ...] counts (log tampering).
        q += 8;
        doneMessage = true;
        log = q;
        q = L.find(q, 0x5d);
        if (q < 0) break;
        L.set(q, 0);
        q++;
      } else if (L.startsWith(q, 'Host ')) {
        q += 5;
        hostname = q;
        q = L.find(q, 0x5d);
        if (q >= 0) L.set(q, 0);
        else hostname = -1;
        break;
      }
      q = L.find(q, 0x5b);
    }
  } else if (
    // squid `1140804070.368  11623 ...`
    loglen > 32 &&
    is(0, '1') &&
    isDigit(at(1)) &&
    isDigit(at(2)) &&
    isDigit(at(3)) &&
    is(10, '.') &&
    isDigit(at(13)) &&
    is(14, ' ') &&
    (is(21, ' ') || is(22, ' '))
  ) {
    log += 14;
    while (L.at(log) === SP) log++;
  }

  return {
    hostname: hostname >= 0 ? L.str(hostname) : undefined,
    programName: program >= 0 ? L.str(program) : undefined,
    log: L.str(log),
  };
}
