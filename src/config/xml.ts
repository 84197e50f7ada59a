import { ErrorCodes, OspatrolError } from '../errors.js';

/**
 * The XML dialect of OSSEC's own reader (src/os_xml), which every ossec.conf, rule and decoder
 * file is written in. It is not XML: a file has many root elements, `&` is a plain character
 * (no entity is ever decoded), `\<` puts a `<` in content and keeps the backslash, and comments
 * may hold `--`. Standard parsers reject these files or, worse, mis-parse them silently
 * (deps.md section 3), so this small tokenizer is the specification (ossec-analysis.md 4.5).
 */
export interface XmlElement {
  name: string;
  /** Attributes in the order written. */
  attributes: Array<[string, string]>;
  children: XmlElement[];
  /** Content as written (whitespace kept). For an element with children: the text after the last one. */
  text: string;
  file: string;
  line: number;
}

export function attribute(el: XmlElement, name: string): string | undefined {
  for (const [k, v] of el.attributes) if (k === name) return v;
  return undefined;
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-]/;

/** Parse a whole file into its root elements. Throws OspatrolError with file:line. */
export function parseXml(input: string, file: string): XmlElement[] {
  const p = new Parser(input, file);
  const roots = p.parseContent(null);
  return roots;
}

class Parser {
  private i = 0;
  private line = 1;
  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {
    if (s.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  private fail(reason: string, line = this.line): never {
    throw new OspatrolError(ErrorCodes.CONFIG_XML, reason, { file: this.file, line });
  }

  private advance(n: number): void {
    const end = Math.min(this.i + n, this.s.length);
    for (let k = this.i; k < end; k++) if (this.s.charCodeAt(k) === 10) this.line++;
    this.i = end;
  }

  /** Skips a comment starting at `<!`; returns false when the text there is not one. */
  private skipComment(): boolean {
    const s = this.s;
    if (s.startsWith('<!--', this.i)) {
      const end = s.indexOf('-->', this.i + 4);
      if (end < 0) this.fail('comment not closed (missing -->)');
      this.advance(end + 3 - this.i);
      return true;
    }
    if (s.startsWith('<!', this.i)) {
      // os_xml also accepts `<! ... !>` comments.
      const end = s.indexOf('!>', this.i + 2);
      if (end < 0) this.fail('comment not closed (missing !>)');
      this.advance(end + 2 - this.i);
      return true;
    }
    return false;
  }

  private skipDeclaration(): boolean {
    if (!this.s.startsWith('<?', this.i)) return false;
    const end = this.s.indexOf('?>', this.i + 2);
    if (end < 0) this.fail('declaration not closed (missing ?>)');
    this.advance(end + 2 - this.i);
    return true;
  }

  /**
   * Reads content until the closing tag of `parent` (or end of input at the root level).
   * Returns the child elements; the parent's text is set by the caller from `lastText`.
   */
  lastText = '';
  parseContent(parent: { name: string; line: number } | null): XmlElement[] {
    const s = this.s;
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (this.i >= s.length) {
        if (parent) this.fail(`element <${parent.name}> is not closed`, parent.line);
        this.lastText = text;
        return children;
      }
      const c = s[this.i];
      if (c === '\\' && s[this.i + 1] === '<') {
        text += '\\<';
        this.advance(2);
        continue;
      }
      if (c !== '<') {
        if (c === '\n') this.line++;
        text += c;
        this.i++;
        continue;
      }
      if (this.skipComment() || this.skipDeclaration()) continue;
      if (s[this.i + 1] === '/') {
        const start = this.line;
        this.advance(2);
        const name = this.readName();
        this.skipSpace();
        if (s[this.i] !== '>') this.fail(`closing tag </${name}> is not terminated by '>'`);
        this.advance(1);
        if (!parent) this.fail(`closing tag </${name}> without an opening tag`, start);
        if (name !== parent.name) {
          this.fail(`closing tag </${name}> does not match <${parent.name}> opened at line ${parent.line}`, start);
        }
        this.lastText = text;
        return children;
      }
      // An opening tag. The text collected so far belongs to the parent only if no child follows.
      text = '';
      children.push(this.parseElement());
    }
  }

  private skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.advance(1);
  }

  private readName(): string {
    const s = this.s;
    const start = this.i;
    if (!NAME_START.test(s[this.i] ?? '')) this.fail(`invalid element or attribute name at '${s.slice(this.i, this.i + 10)}'`);
    while (this.i < s.length && NAME_CHAR.test(s[this.i])) this.i++;
    return s.slice(start, this.i);
  }

  private parseElement(): XmlElement {
    const s = this.s;
    const line = this.line;
    this.advance(1); // '<'
    const name = this.readName();
    const attributes: Array<[string, string]> = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= s.length) this.fail(`tag <${name}> is not terminated`, line);
      if (s[this.i] === '>') {
        this.advance(1);
        break;
      }
      if (s[this.i] === '/' && s[this.i + 1] === '>') {
        this.advance(2);
        return { name, attributes, children: [], text: '', file: this.file, line };
      }
      const attr = this.readName();
      this.skipSpace();
      if (s[this.i] !== '=') this.fail(`attribute '${attr}' of <${name}> has no value`);
      this.advance(1);
      this.skipSpace();
      const q = s[this.i];
      if (q !== '"' && q !== "'") this.fail(`attribute '${attr}' of <${name}> must be quoted`);
      const end = s.indexOf(q, this.i + 1);
      if (end < 0) this.fail(`attribute '${attr}' of <${name}> is not closed`);
      const value = s.slice(this.i + 1, end);
      this.advance(end + 1 - this.i);
      attributes.push([attr, value]);
    }
    const children = this.parseContent({ name, line });
    return { name, attributes, children, text: this.lastText, file: this.file, line };
  }
}

/**
 * `<var name="X">value</var>` at the root defines `$X` for the rest of the file (os_xml_variables.c).
 * Substitution applies only to files that define a variable, and only to values longer than two
 * characters; an unknown `$NAME` is a load error. Returns the roots without the `<var>` elements.
 */
export function applyVariables(roots: XmlElement[], file: string): XmlElement[] {
  const vars = new Map<string, string>();
  const rest: XmlElement[] = [];
  for (const el of roots) {
    if (el.name === 'var') {
      const name = attribute(el, 'name');
      if (!name) throw new OspatrolError(ErrorCodes.CONFIG_XML, 'variable without a name attribute', { file, line: el.line, element: 'var' });
      vars.set(name.toLowerCase(), el.text);
    } else rest.push(el);
  }
  if (vars.size === 0) return rest;
  const sub = (value: string, line: number): string => substitute(value, vars, file, line);
  const walk = (el: XmlElement): void => {
    el.attributes = el.attributes.map(([k, v]) => [k, sub(v, el.line)]);
    el.text = sub(el.text, el.line);
    el.children.forEach(walk);
  };
  rest.forEach(walk);
  return rest;
}

const VAR_END = new Set(['$', '.', '|', ',', ' ']);

function substitute(value: string, vars: Map<string, string>, file: string, line: number): string {
  if (value.length <= 2 || !value.includes('$')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c !== '$' || i + 1 >= value.length || VAR_END.has(value[i + 1])) {
      out += c;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < value.length && !VAR_END.has(value[j])) j++;
    const name = value.slice(i + 1, j);
    const v = vars.get(name.toLowerCase());
    if (v === undefined) {
      throw new OspatrolError(ErrorCodes.CONFIG_XML, `unknown variable $${name}`, { file, line });
    }
    out += v;
    i = j;
  }
  return out;
}
