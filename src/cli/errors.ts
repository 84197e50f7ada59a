import { ConfigErrors, OspatrolError } from '../errors.js';

/** Prints configuration and load errors as `file:line: <element>: reason`, one per line. */
export function printLoadError(e: unknown): void {
  if (e instanceof ConfigErrors) {
    for (const err of e.errors) process.stderr.write(`ospatrol: ${err.message}\n`);
    process.stderr.write(`ospatrol: ${e.errors.length} configuration error(s); not started.\n`);
  } else if (e instanceof OspatrolError) {
    process.stderr.write(`ospatrol: ${e.message}\n`);
  } else {
    process.stderr.write(`ospatrol: ${(e as Error)?.stack ?? String(e)}\n`);
  }
}
