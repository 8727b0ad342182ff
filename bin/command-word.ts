/**
 * Finding the command word in argv, without loading anything else: the CLI's
 * command table uses it to load one command module, and the launcher of the
 * bundled CLI (bin/launch.ts) to key its code cache.
 */

/** Global options that take a value as the next argument (so that value is not the command word). */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--data-dir', '--host', '-H', '--format', '--tls-dir']);

/** The first positional word of `argv`: the command the user asked for, or undefined. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (a.startsWith('-')) {
      if (GLOBAL_OPTIONS_WITH_VALUE.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}
