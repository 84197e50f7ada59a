import { loadEngine } from '../analysis/engine.js';
import { loadConfig } from '../config/load.js';
import { findIniFiles, formatFailure, runRuleTests } from '../rule-tests/run.js';
import { shortHostname } from '../runtime/hostname.js';
import { printLoadError } from './errors.js';

/** `ospatrol test-rules DIR...`: one line per failure, then `N passed, N failed`. */
export async function testRulesCommand(paths: string[], opts: { config: string; hostname?: string }): Promise<void> {
  try {
    const config = loadConfig(opts.config);
    const hostname = opts.hostname ?? config.global.hostname ?? shortHostname();
    let engine = loadEngine({ config, hostname, logtest: true });
    const report = runRuleTests(findIniFiles(paths), () => (engine = engine.fresh()), { commandPrefix: config.global.commandPrefix });
    for (const f of report.failed) process.stdout.write(formatFailure(f) + '\n');
    process.stdout.write(`${report.passed} passed, ${report.failed.length} failed\n`);
    process.exitCode = report.failed.length > 0 ? 1 : 0;
  } catch (e) {
    printLoadError(e);
    process.exitCode = 2;
  }
}
