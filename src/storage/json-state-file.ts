import { readFileSync } from 'node:fs';

/**
 * Reads a JSON state file: its parsed content, or undefined when there is none to use. A missing
 * file is normal (a first start); one that cannot be read or is not JSON is reported through
 * `problem` (the caller logs and counts it, and starts without it): never a crash.
 */
export function readJsonState(file: string, problem: (reason: 'unreadable' | 'invalid', error: unknown) => void): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') problem('unreadable', e);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    problem('invalid', e);
    return undefined;
  }
}
