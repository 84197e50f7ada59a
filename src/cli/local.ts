import { LocalRuntime } from '../runtime/local-runtime.js';
import { createLogger } from '../runtime/logger.js';
import { printLoadError } from './errors.js';

/** `ospatrol local`: runs in the foreground until SIGINT/SIGTERM; SIGHUP reloads. */
export async function localCommand(opts: { config: string; dir: string; hostname?: string; threads?: string }): Promise<void> {
  const threads = opts.threads === undefined ? undefined : Number(opts.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64)) {
    process.stderr.write(`ospatrol: --threads takes a number from 1 to 64, not '${opts.threads}'\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger();
  let rt: LocalRuntime;
  try {
    rt = await LocalRuntime.start({ configFile: opts.config, stateDir: opts.dir, hostname: opts.hostname, logger, threads });
  } catch (e) {
    printLoadError(e);
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    rt.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error('stop failed', { error: e });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let reloading = Promise.resolve(true);
  process.on('SIGHUP', () => {
    logger.info('reload requested', { signal: 'SIGHUP' });
    reloading = reloading.then(() => rt.reload());
  });
}
