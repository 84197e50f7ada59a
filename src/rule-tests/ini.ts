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
 */
export interface RuleTestSection {
  name: string;
  file: string;
  line: number;
  rule: string | undefined;
  level: string | undefined;
  decoder: string | undefined;
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
    for (const [key, { value, line }] of o) {
      const m = /^log\s+\S+\s+(pass|fail)$/.exec(key);
      if (m) cases.push({ key, expectMatch: m[1] === 'pass', log: value, line, history: [] });
      else if (/^history\s+\S+$/.test(key)) history.push(value);
    }
    for (const c of cases) c.history = history;
    sections.push({
      name: sec.name,
      file,
      line: sec.line,
      rule: o.get('rule')?.value,
      level: o.get('alert')?.value,
      decoder: o.get('decoder')?.value,
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
