import { formatAlertsLog } from '../alerts/alerts-log-format.js';
import type { Analysis, Engine } from '../analysis/engine.js';
import { loadEngine } from '../analysis/engine.js';
import { loadConfig } from '../config/load.js';
import { shortHostname } from '../runtime/hostname.js';
import { printLoadError } from './errors.js';
import { RecordSplitter } from './logtest-records.js';
import { LineReader } from '../events/line-reader.js';
import { runPipeline } from '../analysis/parallel/pipeline.js';
import { StatelessWorkers } from '../analysis/parallel/stateless-workers.js';

export interface LogtestOptions {
  config: string;
  dir?: string;
  quiet?: boolean;
  alerts?: boolean;
  verbose?: boolean;
  unitTest?: string;
  hostname?: string;
  /** Location of every event (default `stdin`, or the `fullCommand` alias). */
  location?: string;
  /** A line that ends each multi-line event (logtest-records.ts). */
  recordSeparator?: string;
  /** Each record is this full_command alias's output (logtest-records.ts). */
  fullCommand?: string;
  /** With -a: analyse on this many threads, this one included (analysis/parallel/). */
  threads?: string;
}

/**
 * `ospatrol logtest`: ossec-logtest's behaviour and output (ossec-analysis.md 9.6), so scripts and
 * habits built around it keep working: the three phases on stderr, `-a` alerts.log text on stdout,
 * `-U rule:level:decoder` exit status. Each stdin line is one event from location `stdin`; state
 * (frequency, check_diff, ignore timers) carries from line to line. OSPatrol's additions for
 * check_diff rules: `--location`, and multi-line events with `--record-separator` and
 * `--full-command` (logtest-records.ts); a check_diff alert's change is printed in Phase 3.
 */
export async function logtestCommand(opts: LogtestOptions): Promise<void> {
  const threads = opts.threads === undefined ? 1 : Number(opts.threads);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    process.stderr.write(`ospatrol-logtest: --threads takes a number from 1 to 64, not '${opts.threads}'\n`);
    process.exitCode = 2;
    return;
  }
  if (threads > 1 && (!opts.alerts || opts.verbose)) {
    process.stderr.write('ospatrol-logtest: --threads works with -a (alerts only) and without -v\n');
    process.exitCode = 2;
    return;
  }
  const out = new BufferedOutput(process.stdout);
  const err = new BufferedOutput(process.stderr);
  let workers: StatelessWorkers | undefined;
  let engine: Engine;
  let prefix = 'ospatrol';
  let hostname = '';
  try {
    const config = loadConfig(opts.config);
    prefix = config.global.commandPrefix;
    hostname = opts.hostname ?? config.global.hostname ?? shortHostname();
    if (threads > 1) {
      // The first worker loads the rules while this thread does (parallel-analyzer.ts).
      workers = new StatelessWorkers({
        configFile: opts.config,
        hostname,
        max: threads - 1,
        warn: (m) => process.stderr.write(`ospatrol-logtest: WARN: ${m}\n`),
      });
      workers.grow();
    }
    engine = loadEngine({
      config,
      hostname,
      stateDir: opts.dir,
      logtest: true,
      warn: (m) => err.write(`ospatrol-logtest: WARN: ${m}\n`),
    });
  } catch (e) {
    await workers?.close();
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
  if (!opts.quiet) err.write('ospatrol-logtest: Type one log per line.\n\n');
  let exitCode = 0;
  const location = opts.location ?? opts.fullCommand ?? 'stdin';
  const kind = opts.fullCommand !== undefined ? 'command' : 'localfile';
  // Phase 2's field lines are only printed without -a.
  const fields = !opts.alerts;
  const handle = (message: string): void => {
    const trace: string[] | undefined = opts.verbose ? [] : undefined;
    report(engine.analyze({ location, message, receivedAt: Date.now(), kind }, { fields, trace: trace ? (l) => trace.push(l) : undefined }), trace);
  };
  const report = (a: Analysis, trace?: string[]): void => {
    if (opts.alerts) {
      if (a.match && a.match.alert && a.match.log) out.write(formatAlertsLog(engine.toAlert(a.lf, a.match)));
    } else {
      err.write(phases(a, trace));
    }
    if (expected) exitCode = unitTestStatus(a, expected);
  };
  const splitter = new RecordSplitter({ separator: opts.recordSeparator, fullCommand: opts.fullCommand, prefix });
  if (workers !== undefined) {
    // The same results from several threads (analysis/parallel/pipeline.ts).
    const done = runPipeline({
      engine,
      workers,
      input: process.stdin,
      location,
      kind,
      splitter,
      onAnalysis: report,
    });
    try {
      await done;
    } catch (e) {
      out.flush();
      process.stderr.write(`ospatrol-logtest: ERROR: ${(e as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
  } else {
    await new LineReader(process.stdin, (line) => {
      const m = splitter.line(line);
      if (m !== undefined) handle(m);
    }).done;
    const last = splitter.end();
    if (last !== undefined) handle(last);
  }
  err.flush();
  if (expected && exitCode === 0) out.write('0\n');
  out.flush();
  process.exitCode = exitCode;
}

/**
 * Output in batches: one write per burst of input instead of one per event (a write is a system
 * call; on a corpus where every second event alerts that was most of the output cost). Text is
 * flushed once 64 KiB are pending, and otherwise as soon as the lines already read are done (the
 * flush runs from setImmediate, after the readline iterator has drained its buffered lines), so an
 * interactive user still sees each answer right after typing the line.
 */
class BufferedOutput {
  private pending = '';
  private scheduled = false;
  private readonly flushSoon = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(private readonly stream: NodeJS.WritableStream) {}

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= 65536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
  }

  flush(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.stream.write(text);
  }
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
    if (match.diff) {
      // OSPatrol: what a check_diff rule found (OSSEC's logtest shows nothing of it).
      out += `       What changed: ${match.diff.summary}\n`;
      if (match.diff.unified !== '') for (const l of match.diff.unified.split('\n')) out += `       ${l}\n`;
    }
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
