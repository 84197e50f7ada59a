import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis, Engine } from '../analysis/engine.js';
import { fullOutputMessage } from '../sources/command/messages.js';
import { parseRuleTests, type RuleTestCase, type RuleTestSection } from './ini.js';

export interface RuleTestFailure {
  section: RuleTestSection;
  testCase: RuleTestCase;
  /** What the engine ended in: rule id, level and decoder name (empty when none). */
  actual: { rule: string; level: string; decoder: string };
}

export interface RuleTestReport {
  passed: number;
  failed: RuleTestFailure[];
}

/** The .ini files named by the arguments (files, or folders searched for *.ini), sorted. */
export function findIniFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.ini')) out.push(join(p, f));
    } else out.push(p);
  }
  return out;
}

/**
 * Runs every case as OSSEC's runtests.py does: each log line in a fresh engine (no state carried
 * between cases), passing when the final decoder, rule id and level are the expected ones and
 * the case says `pass`, or when they are not and it says `fail`. A case may carry `history`
 * lines (OSPatrol's extension): they are fed to the same fresh engine first, so stateful rules
 * (check_diff, frequency) can be tested; `location` and `full_command` shape the events (ini.ts).
 * `commandPrefix` is `<global><command_prefix>`, the first word of full_command events.
 */
export function runRuleTests(
  files: readonly string[],
  freshEngine: () => Engine,
  opts: { commandPrefix?: string } = {},
): RuleTestReport {
  const prefix = opts.commandPrefix ?? 'ospatrol';
  const report: RuleTestReport = { passed: 0, failed: [] };
  for (const file of files) {
    for (const section of parseRuleTests(readFileSync(file, 'utf8'), file)) {
      for (const testCase of section.cases) {
        const engine = freshEngine();
        const t0 = Date.now();
        let i = 0;
        const fullCommand = section.fullCommand;
        const location = section.location ?? fullCommand ?? 'stdin';
        // A full_command run that printed nothing emits no event (messages.ts).
        const analyze = (value: string): Analysis | undefined => {
          const receivedAt = t0 + 1000 * i++;
          if (fullCommand === undefined) return engine.analyze({ location, message: value, receivedAt, kind: 'localfile' });
          if (value === '') return undefined;
          return engine.analyze({ location, message: fullOutputMessage(prefix, fullCommand, value), receivedAt, kind: 'command' });
        };
        for (const h of testCase.history) analyze(h);
        const a = analyze(testCase.log);
        const actual = {
          rule: a?.match ? String(a.match.id) : '',
          level: a?.match ? String(a.match.level) : '',
          decoder: a?.lf.decoder?.name ?? '',
        };
        // As ossec-logtest -U: no decoder never equals the expected one, even an empty one.
        const matches =
          actual.decoder !== '' &&
          actual.decoder.toLowerCase() === (section.decoder ?? '').toLowerCase() &&
          actual.rule === section.rule &&
          actual.level === section.level;
        if (matches === testCase.expectMatch) report.passed++;
        else report.failed.push({ section, testCase, actual });
      }
    }
  }
  return report;
}

export function formatFailure(f: RuleTestFailure): string {
  const s = f.section;
  const want = `rule ${s.rule} level ${s.level} decoder ${s.decoder}`;
  const got = `rule ${f.actual.rule || '-'} level ${f.actual.level || '-'} decoder ${f.actual.decoder || '-'}`;
  return (
    `FAIL ${f.testCase.line ? `${s.file}:${f.testCase.line}` : s.file} [${s.name}] ${f.testCase.key}: ` +
    `${f.testCase.expectMatch ? 'expected' : 'expected anything but'} ${want}, got ${got}\n    ${f.testCase.log}`
  );
}
