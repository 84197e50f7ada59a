import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A file of ../shared (conformance data, next to the project). Tests read it in place and never
 * copy it (GPLv2). When it is missing, tests are skipped with a reason, except in CI, where that
 * is a failure (conformance/README.md: fail loudly, not pass silently).
 */
export function sharedFile(rel: string): { path: string | undefined; skip: string | false } {
  const path = fileURLToPath(new URL(`../../../../shared/${rel}`, import.meta.url));
  if (existsSync(path)) return { path, skip: false };
  if (process.env.CI) throw new Error(`conformance file missing in CI: ${path}`);
  return { path: undefined, skip: `conformance file not found: ${path}` };
}
