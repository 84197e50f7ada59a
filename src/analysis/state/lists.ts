import { readFileSync } from 'node:fs';
import { ErrorCodes, OspatrolError } from '../../errors.js';

/**
 * CDB-style lists (ossec-analysis.md 5.7), read straight from their text form. OSSEC compiles
 * `path` into `path.cdb` with ossec-makelists and looks keys up there; the lookups only ever ask
 * "is this key present, and what is its value", so a Map built from the text file answers the same
 * questions without the cdb binary.
 */
export class CdbList {
  /** `rules/x` style name the config gave (after OSSEC's normalisation). */
  readonly txtName: string;
  /** The same with `.cdb`: rules may name either. */
  readonly cdbName: string;
  readonly path: string;
  private readonly entries: Map<string, string>;

  constructor(txtName: string, path: string, entries: Map<string, string>) {
    this.txtName = txtName;
    this.cdbName = `${txtName}.cdb`;
    this.path = path;
    this.entries = entries;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Value of an exact key (keys are case-sensitive, as in cdb). */
  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /**
   * address_match_key: the exact key, then every shorter prefix that ends in `.`, longest first
   * (`10.1.2.3` tries `10.1.2.`, `10.1.`, `10.`). Returns the value of the first hit.
   * (lists_list.c:OS_DBSeachKeyAddress cuts one character at a time and tries each cut ending in '.')
   */
  getAddress(key: string): string | undefined {
    const exact = this.entries.get(key);
    if (exact !== undefined) return exact;
    for (let end = key.length - 1; end > 0; end--) {
      if (key.charCodeAt(end - 1) !== 0x2e /* . */) continue;
      const v = this.entries.get(key.slice(0, end));
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

/**
 * Parses the text form: one `key:value` per line, split at the first `:`. Lines without a `:` are
 * skipped (so a bare key must be written `key:`), `###` starts a trailing comment, trailing blanks
 * are dropped, and blank lines are skipped. cdb keeps the first record of a repeated key, and so
 * do we. A `\r` ends the line, as ossec-makelists cuts at the first one.
 */
export function parseListText(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (let raw of text.split('\n')) {
    const cr = raw.indexOf('\r');
    if (cr >= 0) raw = raw.slice(0, cr);
    const comment = raw.indexOf('###');
    if (comment >= 0) raw = raw.slice(0, comment);
    raw = raw.replace(/[ \t]+$/, '');
    if (raw === '') continue;
    const colon = raw.indexOf(':');
    if (colon < 0) continue;
    const key = raw.slice(0, colon);
    if (!entries.has(key)) entries.set(key, raw.slice(colon + 1));
  }
  return entries;
}

/**
 * OSSEC's name for a configured list (lists.c:Lists_OP_LoadList): `rules/` is prepended when the
 * name has no `/`, and everything from the first `.cdb` on is removed. Rules must then name the list
 * exactly as this text name or the text name plus `.cdb`.
 */
export function normaliseListName(name: string): string {
  let n = name.includes('/') ? name : `rules/${name}`;
  const cdb = n.indexOf('.cdb');
  if (cdb >= 0) n = n.slice(0, cdb);
  return n;
}

/** All configured lists, found by the names rules use. */
export class ListStore {
  private readonly lists: CdbList[] = [];

  /** Adds a list from its text; `name` as written in the config, `path` where the text lives. */
  addText(name: string, path: string, text: string): CdbList {
    const list = new CdbList(normaliseListName(name), path, parseListText(text));
    this.lists.push(list);
    return list;
  }

  /** Reads the text file at `path`. A missing or unreadable file is a LIST_INVALID error. */
  addFile(name: string, path: string): CdbList {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new OspatrolError(ErrorCodes.LIST_INVALID, `cannot read list '${name}': ${(e as Error).message}`, { file: path });
    }
    return this.addText(name, path, text);
  }

  /** The first configured list whose text or cdb name equals `ruleText` exactly (lists_list.c:_OS_FindList). */
  find(ruleText: string): CdbList | undefined {
    for (const l of this.lists) if (l.txtName === ruleText || l.cdbName === ruleText) return l;
    return undefined;
  }

  get all(): readonly CdbList[] {
    return this.lists;
  }
}
