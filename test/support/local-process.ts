import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const projectRoot = new URL('../../', import.meta.url).pathname;
export const cliPath = join(projectRoot, 'bin', 'ospatrol.js');

/** A scratch folder for one test. */
export function scratch(prefix = 'osp-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Writes a configuration that loads the project's own decoders and rules plus the given local
 * rules, followed by the given localfile blocks.
 */
export function writeConfig(dir: string, body: string, localRules = ''): string {
  const etc = join(projectRoot, 'etc');
  const rulesFile = join(dir, 'local_rules.xml');
  writeFileSync(rulesFile, localRules || '<!-- none -->');
  const conf = join(dir, 'ospatrol.conf');
  writeFileSync(
    conf,
    `<ospatrol_config>
  <global><jsonout_output>yes</jsonout_output></global>
  <rules>
    <decoder>${etc}/decoder.xml</decoder>
    <include>${etc}/rules/rules_config.xml</include>
    <include>${etc}/rules/ospatrol_rules.xml</include>
    <include>${rulesFile}</include>
  </rules>
${body}
</ospatrol_config>
`,
  );
  return conf;
}

export interface Running {
  child: ChildProcess;
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `ospatrol local` as a real child process (`args`: more options). */
export function startLocal(conf: string, stateDir: string, hostname = 'host', args: string[] = []): Running {
  const child = spawn(process.execPath, [cliPath, 'local', '-c', conf, '-D', stateDir, '--hostname', hostname, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return {
    child,
    stderr: () => err,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls until `check` returns a truthy value or the time runs out (then throws with `what`). */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/**
 * What a file that a running process appends to holds up to the end of its last whole record
 * (`end`: '\n' for alerts.json lines, '\n\n' for alerts.log records). A read can land in the
 * middle of a write: CI once caught a 200 KB alerts.json line half written.
 */
export function readWhole(path: string, end = '\n'): string {
  const text = readIfExists(path);
  const at = text.lastIndexOf(end);
  return at < 0 ? '' : text.slice(0, at + end.length);
}

/** The whole alerts.json records of a state directory (of one rule when `ruleId` is given). */
export function jsonAlerts<T = Record<string, any>>(stateDir: string, ruleId?: number): T[] {
  return readWhole(join(stateDir, 'logs', 'alerts', 'alerts.json'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T & { rule: { id: string | number } })
    .filter((a) => ruleId === undefined || String(a.rule.id) === String(ruleId));
}

/** Splits alerts.log into records (each ends with a blank line). */
export function alertRecords(text: string): string[] {
  return text
    .split(/(?=^\*\* Alert )/m)
    .filter((r) => r.startsWith('** Alert '));
}
