/**
 * Runs a CommonJS script (the bundled CLI) through a V8 code cache kept in a
 * file, so that a command does not compile the same code again at every start.
 *
 * Node 20 has no `module.enableCompileCache` (Node 22 does), but `vm.Script`
 * takes `cachedData` and makes it with `createCachedData()`. The cache is
 * written when the process exits, so it holds every function this run
 * compiled, not only the top level.
 *
 * Which cache is taken, and when it is refused:
 * - The cache file starts with our own header: a key made of the script's
 *   build id (a hash of the bundle, on its first line), the Node version and
 *   the architecture, plus the command words whose code it holds. A cache with
 *   another key is ignored and replaced. This matters because V8 checks only
 *   the *length* of the source against the cache: without the build id, a
 *   rebuilt bundle of the same length could run stale compiled code.
 * - V8 then checks its own version and flags (`cachedDataRejected`); a cache
 *   made by another V8, or under other V8 flags, is refused and replaced.
 * - A cache that cannot be read or written (a read-only install) is not an
 *   error: the script runs without one.
 *
 * A run whose command word the cache has not seen rewrites it (at most
 * MAX_WORDS times per build), so the cache ends up holding the code of every
 * command family used, without any training step.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

const MAGIC = 'shoal-code-cache 1\n';
/** The first line of a script that can be cached: `// shoal-build <id>`. */
const BUILD_LINE = /^\/\/ shoal-build ([0-9a-f]+)\n/;
/** Rewrites for new command words stop here (a stream of typos must not rewrite the cache forever). */
const MAX_WORDS = 40;

interface CacheHeader {
  readonly key: string;
  readonly words: readonly string[];
}

export interface CodeCacheOutcome {
  /** The build id read from the script's first line; null: not a cacheable script, run without a cache. */
  readonly buildId: string | null;
  /** A cache file with this build's key was found and given to V8. */
  readonly offered: boolean;
  /** V8 refused the cache it was offered (another V8 version or other V8 flags). */
  readonly rejected: boolean;
  /** The cache file is (re)written when the process exits. */
  readonly willWrite: boolean;
}

/** What a cache must be made for: this build of the script, on this Node. */
export function cacheKey(buildId: string): string {
  return `${buildId} ${process.version} ${process.arch}`;
}

/** The header and V8 data of a cache file, or null if it is missing or not ours. */
export function readCacheFile(path: string): { header: CacheHeader; data: Buffer } | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  if (bytes.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return null;
  const end = bytes.indexOf(10, MAGIC.length);
  if (end < 0) return null;
  try {
    const header = JSON.parse(bytes.subarray(MAGIC.length, end).toString('utf8')) as Partial<CacheHeader>;
    if (typeof header.key !== 'string' || !Array.isArray(header.words)) return null;
    return { header: { key: header.key, words: header.words.filter((w) => typeof w === 'string') }, data: bytes.subarray(end + 1) };
  } catch {
    return null;
  }
}

/** Writes the cache whole or not at all: a reader never sees half a file (temp file, then rename). */
function writeCacheFile(path: string, header: CacheHeader, data: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, 'utf8'), data]));
    renameSync(tmp, path);
  } catch {
    // A read-only install, a full disk: the next run compiles again, nothing else changes.
    try {
      unlinkSync(tmp);
    } catch {
      // no temp file was made
    }
  }
}

export interface CodeCacheOptions {
  /** More for the cache to be keyed on, e.g. the node flags of the process (the daemon's differ from a command's). */
  readonly keyExtra?: string;
  /**
   * When the cache is written: at process exit (a command: by then it compiled all it needs), or only
   * when the returned `write()` is called (a daemon: once it is up; it may run for weeks or be killed).
   */
  readonly writeAt?: 'exit' | 'on-call';
}

export interface CodeCacheRun {
  readonly outcome: CodeCacheOutcome;
  /** What the script put in `module.exports`. */
  readonly exports: unknown;
  /** Writes the cache now if this run should (outcome.willWrite); later calls do nothing. */
  readonly write: () => void;
}

/**
 * Runs `scriptPath` as a CommonJS module (its own `require`, `module`,
 * `__filename`, `__dirname`) with the code cache in `cacheFile` (null: none).
 * `word` is the command word of this run, to know whether the cache holds its code.
 */
export function runWithCodeCache(scriptPath: string, cacheFile: string | null, word: string, options: CodeCacheOptions = {}): CodeCacheOutcome {
  return runScript(scriptPath, cacheFile, word, options).outcome;
}

/** runWithCodeCache, also giving the script's exports and the cache's writer. */
export function runScript(scriptPath: string, cacheFile: string | null, word: string, options: CodeCacheOptions = {}): CodeCacheRun {
  const bytes = readFileSync(scriptPath);
  // The bundles are built pure ASCII (esbuild's charset 'ascii'): latin1 is then the same text and
  // about a third cheaper to decode than UTF-8 (≈ 3 ms of a command's start for a 2.4 MB bundle).
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const buildId = BUILD_LINE.exec(source)?.[1] ?? null;
  const key = buildId === null ? null : `${cacheKey(buildId)}${options.keyExtra ? ` ${options.keyExtra}` : ''}`;
  const found = key !== null && cacheFile !== null ? readCacheFile(cacheFile) : null;
  const usable = found !== null && found.header.key === key ? found : null;
  const script = new vm.Script(Module.wrap(source), {
    filename: scriptPath,
    ...(usable ? { cachedData: usable.data } : {}),
    // The bundle's own import() calls (of modules left outside it) go to Node's loader, as in a module.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const rejected = usable !== null && script.cachedDataRejected === true;
  const known = usable !== null && !rejected ? usable.header.words : [];
  const willWrite = key !== null && cacheFile !== null && (usable === null || rejected || (!known.includes(word) && known.length < MAX_WORDS));
  let pending = willWrite;
  const write = (): void => {
    if (!pending || key === null || cacheFile === null) return;
    pending = false;
    // By now the script has compiled what it needed; createCachedData includes it all.
    writeCacheFile(cacheFile, { key, words: [...known, word] }, script.createCachedData());
  };
  if (willWrite && options.writeAt !== 'on-call') process.once('exit', write);
  const module = new Module(scriptPath);
  module.filename = scriptPath;
  const require = createRequire(scriptPath);
  module.paths = require.resolve.paths('shoal') ?? [];
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, require, module, scriptPath, dirname(scriptPath));
  return { outcome: { buildId, offered: usable !== null, rejected, willWrite }, exports: module.exports, write };
}
