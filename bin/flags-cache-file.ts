/**
 * The code cache file of a bundle run under this process's node flags: V8 refuses a cache made
 * under other flags, so each set of flags has its own file, `<bundle>.<hash of the flags>.cache`
 * (a profiled run does not replace the everyday cache). Used by the daemon's launcher and by init's
 * certificate worker (a worker thread runs under its process's flags). docs/design/startup.md.
 */
import { createHash } from 'node:crypto';

export function flagsCacheFile(bundle: string): { readonly file: string; readonly flags: string } {
  // NODE_OPTIONS may carry V8 flags too.
  const flags = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join(' ').trim();
  return { file: `${bundle}.${createHash('sha256').update(flags).digest('hex').slice(0, 12)}.cache`, flags };
}
