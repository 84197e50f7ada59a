import { loadConfig } from '../config/load.js';
import { loadEngine } from '../analysis/engine.js';
import { printLoadError } from './errors.js';

export async function checkConfigCommand(opts: { config: string }): Promise<void> {
  try {
    const config = loadConfig(opts.config);
    const engine = loadEngine({ config, hostname: 'check-config' });
    const s = engine.summary();
    process.stdout.write(
      `${opts.config}: OK: ${config.localfiles.length} localfile(s), ${s.decoders} decoder(s), ` +
        `${s.rules} rule(s) (${s.treeNodes} enabled in the tree) in ${config.rules.ruleFiles.length} file(s), ${config.rules.lists.length} list(s)\n`,
    );
  } catch (e) {
    printLoadError(e);
    process.exitCode = 1;
  }
}
