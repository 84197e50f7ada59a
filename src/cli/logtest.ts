import { createInterface } from 'node:readline';
import { formatAlertsLog } from '../alerts/alerts-log-format.js';
import type { Analysis, Engine } from '../analysis/engine.js';
import { loadEngine } from '../analysis/engine.js';
import { loadConfig } from '../config/load.js';
import { shortHostname } from '../runtime/local-runtime.js';
import { printLoadError } from './errors.js';

export interface LogtestOptions {
  config: string;
  dir?: string;
  quiet?: boolean;
  alerts?: boolean;
  verbose?: boolean;
  unitTest?: string;
  hostname?: string;
}

/**
 * `ospatrol logtest`: ossec-logtest's behaviour and output (ossec-analysis.md 9.6), so scripts and
 * habits built around it keep working: the three phases on stderr, `-a` alerts.log text on stdout,
 * `-U rule:level:decoder` exit status. Each stdin line is one event from location `stdin`; state
 * (frequency, check_diff, ignore timers) carries from line to line.
 */
export async function logtestCommand(opts: LogtestOptions): Promise<void> {
  let engine: Engine;
  try {
    const config = loadConfig(opts.config);
    engine = loadEngine({
      config,
      hostname: opts.hostname ?? config.global.hostname ?? shortHostname(),
      stateDir: opts.dir,
      logtest: true,
      warn: (m) => process.stderr.write(`ospatrol-logtest: WARN: ${m}\n`),
    });
  } catch (e) {
    printLoadError(e);
    process.exitCode = 1;
    return;
  }
  let expected: { rule: string; level: string; decoder: string } | undefined;
  if (opts.unitTest) {
    const parts = opts.unitTest.split(':');
    if (parts.length !== 3) {
      process.stderr.write('ospatrol-logtest: -U takes rule:level:decoder\n');
      process.exitCode = 2;
      return;
    }
    expected = { rule: parts[0], level: parts[1], decoder: parts[2] };
  }
  const err = process.stderr;
  if (!opts.quiet) err.write('ospatrol-logtest: Type one log per line.\n\n');
  let exitCode = 0;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.length < 2) continue; // as ossec-logtest
    const trace: string[] = [];
    const a = engine.analyze(
      { location: 'stdin', message: line, receivedAt: Date.now(), kind: 'localfile' },
      { fields: true, trace: opts.verbose ? (l) => trace.push(l) : undefined },
    );
    if (opts.alerts) {
      if (a.match && a.match.alert && a.match.log) process.stdout.write(formatAlertsLog(engine.toAlert(a.lf, a.match)));
    } else {
      err.write(phases(a, opts.verbose ? trace : undefined));
    }
    if (expected) exitCode = unitTestStatus(a, expected);
  }
  if (expected && exitCode === 0) process.stdout.write('0\n');
  process.exitCode = exitCode;
}

/** The text ossec-logtest prints for one event. */
export function phases(a: Analysis, trace: string[] | undefined): string {
  const { lf, match } = a;
  let out =
    '\n\n**Phase 1: Completed pre-decoding.\n' +
    `       full event: '${lf.fullLog}'\n` +
    `       hostname: '${lf.hostname}'\n` +
    `       program_name: '${lf.programName ?? '(null)'}'\n` +
    `       log: '${lf.log}'\n` +
    '\n**Phase 2: Completed decoding.\n';
  if (!lf.decoder || !lf.decoder.name) out += '       No decoder matched.\n';
  const d = a.detail;
  if (d) for (let i = 0; i < d.labels.length; i++) out += `       ${d.labels[i]}: '${d.values[i]}'\n`;
  out += `       decoder: '${lf.decoder?.name || '(null)'}'\n`;
  if (trace) out += '\n**Rule debugging:\n' + trace.map((l) => l + '\n').join('');
  if (match) {
    out +=
      '\n**Phase 3: Completed filtering (rules).\n' +
      `       Rule id: '${match.id}'\n` +
      `       Level: '${match.level}'\n` +
      `       Description: '${match.description ?? '(null)'}'\n`;
    for (const i of match.info) out += `       Info - ${INFO_LABEL[i.type] ?? i.type}: '${i.value}'\n`;
    if (match.alert && match.log) out += '**Alert to be generated.\n\n\n';
  }
  return out;
}

const INFO_LABEL: Record<string, string> = { text: 'Text', link: 'Link', cve: 'CVE', osvdb: 'OSVDB', bugtrack: 'BUGTRACKID' };

/**
 * ossec-logtest -U: 3 minus one for each of decoder, rule id and level that match, checked in
 * that order and only while the previous matched; 255 when the decoder matched but no rule did.
 */
export function unitTestStatus(a: Analysis, expected: { rule: string; level: string; decoder: string }): number {
  const name = a.lf.decoder?.name;
  if (!name || name.toLowerCase() !== expected.decoder.toLowerCase()) return 3;
  if (!a.match) return 255;
  if (String(a.match.id) !== expected.rule) return 2;
  if (String(a.match.level) !== expected.level) return 1;
  return 0;
}
