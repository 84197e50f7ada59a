import { join } from 'node:path';

/** Where the alert journal lives under a state directory. */
export function journalDir(stateDir: string): string {
  return join(stateDir, 'queue', 'alerts');
}

/** Where the outputs' cursors live. */
export function cursorsDir(stateDir: string): string {
  return join(journalDir(stateDir), 'cursors');
}
