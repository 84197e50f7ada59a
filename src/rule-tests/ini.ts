/**
 * Reads OSSEC's rule test files (`contrib/ossec-testing/*.ini`). They were written for Python 2's
 * ConfigParser, and what a case tests is what that parser made of the text
 * (ossec-analysis.md 10.2):
 * - option names are lower-cased and a repeated option keeps only its last value;
 * - a `;` that follows whitespace starts an inline comment (only the first `;` is looked at);
 * - lines starting with `#` or `;` are comments; an indented line continues the previous value.
 * One deliberate difference: `%%` is read as `%`. Python 2 left `%%ASA-...` as is (it interpolates
 * only when `%(` appears), which made pix.ini's cases fail against every OSSEC build; their
 * authors evidently meant the escape, and OSSEC's own 251-case baseline applies it too.
 *
 * OSPatrol's extensions, for stateful rules such as check_diff (none of them occurs in OSSEC's files):
 * - `history N = <event>`: events fed to the same engine before each case's `log`, in file order;
 * - `location = <name>`: the location of the section's events (default `stdin`);
 * - `full_command = <alias>`: each history and log value is that command's output; the event is
 *   what the command source emits (`<prefix>: output: '<alias>':`, a newline, the output) and the
 *   location defaults to the alias. An empty value is a run that printed nothing (no event);
 * - `escapes = yes` (implied by full_command): `\n` (newline), `\t`, `\\` and `\xHH` in history
 *   and log values, so a multi-line output with blank lines or leading spaces fits on one line.
 *   (Indented continuation lines also make multi-line values, but lose leading spaces.)
 */
export interface RuleTestSection {
  name: string;
  file: string;
  line: number;
  rule: string | undefined;
  level: string | undefined;
  decoder: string | undefined;
  /** `location =`: the events' location (undefined: `stdin`, or the full_command alias). */
  location: string | undefined;
  /** `full_command =`: values are this command's output. */
  fullCommand: string | undefined;
  cases: RuleTestCase[];
}

export interface RuleTestCase {
  /** `log 1 pass`, as written (lower-cased). */
  key: string;
  /** true: the line must end in rule/level/decoder; false: it must not. */
  expectMatch: boolean;
  log: string;
  line: number;
  /**
   * For OSPatrol's history tests: earlier inputs fed to the same engine before `log`
   * (`history N = <line>` options, in order). Empty for OSSEC's files.
   */
  history: string[];
}

export function parseRuleTests(text: string, file: string): RuleTestSection[] {
  const sections: RuleTestSection[] = [];
  type RawSection = { name: string; line: number; options: Map<string, { value: string; line: number }> };
  const byName = new Map<string, RawSection>();
  const order: RawSection[] = [];
  let current: RawSection | undefined;
  let lastKey: string | undefined;
  const flush = (sec: RawSection): void => {
    const o = sec.options;
    const cases: RuleTestCase[] = [];
    const history: string[] = [];
    const fullCommand = o.get('full_command')?.value;
    const escapes = fullCommand !== undefined || /^(yes|true|1)$/i.test(o.get('escapes')?.value ?? '');
    const decode = escapes ? unescapeValue : (v: string): string => v;
    for (const [key, { value, line }] of o) {
      const m = /^log\s+\S+\s+(pass|fail)$/.exec(key);
      if (m) cases.push({ key, expectMatch: m[1] === 'pass', log: decode(value), line, history: [] });
      else if (/^history\s+\S+$/.test(key)) history.push(decode(value));
    }
    for (const c of cases) c.history = history;
    sections.push({
      name: sec.name,
      file,
      line: sec.line,
      rule: o.get('rule')?.value,
      level: o.get('alert')?.value,
      decoder: o.get('decoder')?.value,
      location: o.get('location')?.value,
      fullCommand,
      cases,
    });
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    if (raw.trim() === '' || raw[0] === '#' || raw[0] === ';') continue;
    if (/^rem\s/i.test(raw) && (raw[0] === 'r' || raw[0] === 'R')) continue;
    if (/^\s/.test(raw)) {
      if (current && lastKey) {
        const prev = current.options.get(lastKey)!;
        prev.value += '\n' + raw.trim();
      }
      continue;
    }
    const sec = /^\[([^\]]+)\]/.exec(raw);
    if (sec) {
      // A repeated section name continues the earlier section (its options may replace ones there).
      current = byName.get(sec[1]);
      if (!current) {
        current = { name: sec[1], line: lineNo, options: new Map() };
        byName.set(sec[1], current);
        order.push(current);
      }
      lastKey = undefined;
      continue;
    }
    const opt = /^([^:=\s][^:=]*?)\s*([:=])\s*(.*)$/.exec(raw);
    if (!opt || !current) continue;
    let value = opt[3];
    const semi = value.indexOf(';');
    if (semi > 0 && /\s/.test(value[semi - 1])) value = value.slice(0, semi);
    value = value.trim().replace(/%%/g, '%');
    const key = opt[1].trim().toLowerCase();
    // A repeated option replaces the earlier one in place (dict semantics): keep the later line.
    const existing = current.options.get(key);
    if (existing) Object.assign(existing, { value, line: lineNo });
    else current.options.set(key, { value, line: lineNo });
    lastKey = key;
  }
  order.forEach(flush);
  return sections;
}

/** `\n`, `\t`, `\\`, `\xHH`; any other backslash is kept as written. */
export function unescapeValue(v: string): string {
  return v.replace(/\\(n|t|\\|x[0-9A-Fa-f]{2})/g, (_, e: string) => {
    if (e === 'n') return '\n';
    if (e === 't') return '\t';
    if (e === '\\') return '\\';
    return String.fromCharCode(parseInt(e.slice(1), 16));
  });
}
