import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { RulesConfig } from '../model.js';
import { text, type ErrorCollector } from '../values.js';
import { attribute, type XmlElement } from '../xml.js';

/**
 * Resolves rule, decoder and list paths as OSSEC does, relative to its home: a bare name is
 * looked up in `rules/`; other relative paths next to the config file or in its parent (the
 * OSSEC home, where `etc/` and `rules/` are siblings).
 */
function resolveFile(c: ErrorCollector, dir: string, el: XmlElement, name: string, bareDirs: string[]): string | undefined {
  const candidates: string[] = [];
  if (isAbsolute(name)) candidates.push(name);
  else {
    if (!name.includes('/')) for (const d of bareDirs) candidates.push(join(dir, d, name), join(dir, '..', d, name));
    candidates.push(join(dir, name), join(dir, '..', name));
  }
  for (const p of candidates) if (existsSync(p)) return resolve(p);
  c.error(el, `file "${name}" not found (looked in ${[...new Set(candidates.map((p) => resolve(p)))].join(', ')})`);
  return undefined;
}

function readDir(c: ErrorCollector, dir: string, el: XmlElement, name: string): string[] {
  const pattern = attribute(el, 'pattern') ?? '.xml$';
  let re: RegExp;
  try {
    // The pattern is an OSRegex in OSSEC; the ones used in practice (`.xml$`, `_rules.xml$`)
    // mean the same as a JS regex where `.` is literal-ish enough; keep it simple and safe.
    re = new RegExp(pattern.replace(/\./g, '\\.'));
  } catch {
    c.error(el, `invalid pattern "${pattern}"`);
    return [];
  }
  const candidates = isAbsolute(name) ? [name] : [join(dir, name), join(dir, '..', name)];
  for (const p of candidates) {
    if (existsSync(p) && statSync(p).isDirectory()) {
      return readdirSync(p)
        .filter((f) => re.test(f))
        .sort()
        .map((f) => resolve(p, f));
    }
  }
  c.error(el, `directory "${name}" not found`);
  return [];
}

/** All `<rules>` sections together, with paths resolved against `dir` (the config file's folder). */
export function readRules(c: ErrorCollector, dir: string, sections: XmlElement[]): RulesConfig {
  const ruleFiles: string[] = [];
  const decoderFiles: string[] = [];
  const lists: RulesConfig['lists'] = [];
  let sawDecoder = false;
  for (const section of sections) {
    for (const el of section.children) {
      const v = text(el);
      switch (el.name) {
        case 'include':
        case 'rule': {
          const f = resolveFile(c, dir, el, v, ['rules']);
          if (f) ruleFiles.push(f);
          break;
        }
        case 'rule_dir':
          ruleFiles.push(...readDir(c, dir, el, v));
          break;
        case 'decoder': {
          sawDecoder = true;
          const f = resolveFile(c, dir, el, v, ['etc', '.']);
          if (f) decoderFiles.push(f);
          break;
        }
        case 'decoder_dir':
          sawDecoder = true;
          decoderFiles.push(...readDir(c, dir, el, v));
          break;
        case 'list': {
          // OSSEC names the text file; a `.cdb` suffix names the compiled one (5.7).
          const name = v.replace(/\.cdb$/, '');
          const f = resolveFile(c, dir, el, name, ['rules']);
          if (f) lists.push({ name: v, path: f });
          break;
        }
        default:
          c.error(el, 'unknown option in <rules> (expected include, rule, rule_dir, decoder, decoder_dir, list)');
      }
    }
  }
  if (!sawDecoder) {
    // OSSEC's default: etc/decoder.xml, then etc/local_decoder.xml when present (3.1).
    for (const name of ['decoder.xml', 'local_decoder.xml']) {
      const p = [join(dir, name), join(dir, '..', 'etc', name)].find((q) => existsSync(q));
      if (p) decoderFiles.push(resolve(p));
    }
  }
  return { ruleFiles, decoderFiles, lists, baseDir: dir };
}
