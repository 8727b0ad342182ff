import { homedir } from 'node:os';
import { join } from 'node:path';

/** The node's state directory unless --data-dir says otherwise: $SHOAL_DATA_DIR or ~/.shoal. */
export function defaultDataDir(): string {
  return process.env['SHOAL_DATA_DIR'] ?? join(homedir(), '.shoal');
}
