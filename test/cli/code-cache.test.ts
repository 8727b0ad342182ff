// Proves the bundled CLI's V8 code cache (bin/code-cache.ts) is used only when it was made for
// exactly this script on this Node and V8: the first run writes it, the next run is given it and
// V8 takes it; a cache made under other V8 flags, with a damaged V8 header, for another build of
// the script (even one of the same length, which V8 alone would accept) or for another Node
// version is refused and replaced, and in every case the script still runs and gives its result.
// A cache that cannot be written is no error. Each run is a fresh node process, as a command is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readCacheFile, type CodeCacheOutcome } from '../../bin/code-cache.js';

const CODE_CACHE_MODULE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '../../bin/code-cache.js')).href;

/**
 * A CommonJS script as the bundle is made: a build line, then code (enough of it for V8 to cache).
 * It publishes its result on a global, which the runner prints; it uses require and __filename.
 */
function publishing(buildId: string, answer: string): string {
  const body = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n');
  return `// shoal-build ${buildId}\n${body}\nglobalThis.__answer = ${JSON.stringify(answer)} + f1(0) + require('node:path').basename(__filename);\n`;
}

interface Run extends CodeCacheOutcome {
  readonly answer: string;
}

/** Runs `scriptPath` through runWithCodeCache in a fresh node (with `nodeFlags`) and returns what happened. */
function run(scriptPath: string, cacheFile: string | null, word: string, nodeFlags: readonly string[] = []): Run {
  const program =
    `const { runWithCodeCache } = await import(${JSON.stringify(CODE_CACHE_MODULE)});\n` +
    `const outcome = runWithCodeCache(${JSON.stringify(scriptPath)}, ${JSON.stringify(cacheFile)}, ${JSON.stringify(word)});\n` +
    `process.stdout.write(JSON.stringify({ ...outcome, answer: globalThis.__answer }));\n`;
  const out = execFileSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', program], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out) as Run;
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-code-cache-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the first run writes the cache, the next one is given it and V8 takes it', () => {
  withDir((dir) => {
    const s = join(dir, 'cli.cjs');
    const cache = join(dir, 'cli.cjs.cache');
    writeFileSync(s, publishing('aa11', 'first'));
    const one = run(s, cache, 'node');
    assert.deepEqual({ ...one }, { buildId: 'aa11', offered: false, rejected: false, willWrite: true, answer: 'first1cli.cjs' });
    const file = readCacheFile(cache);
    assert.ok(file && file.data.length > 0, 'cache written at exit');
    assert.deepEqual(file.header.words, ['node']);
    assert.equal(file.header.key, `aa11 ${process.version} ${process.arch}`);
    const two = run(s, cache, 'node');
    assert.deepEqual({ ...two }, { buildId: 'aa11', offered: true, rejected: false, willWrite: false, answer: 'first1cli.cjs' });
    // A command word the cache has not seen rewrites it once, adding the word.
    const three = run(s, cache, 'service');
    assert.equal(three.willWrite, true);
    assert.equal(three.rejected, false);
    assert.deepEqual(readCacheFile(cache)?.header.words, ['node', 'service']);
    assert.equal(run(s, cache, 'service').willWrite, false);
  });
});

test('a cache made under other V8 flags is refused by V8, the script still runs, and the cache is replaced', () => {
  withDir((dir) => {
    const s = join(dir, 'cli.cjs');
    const cache = join(dir, 'cli.cjs.cache');
    writeFileSync(s, publishing('bb22', 'flags'));
    run(s, cache, 'node');
    // V8 hashes its flags into the cache; another flag set must not run this code.
    const other = run(s, cache, 'node', ['--no-opt']);
    assert.deepEqual({ ...other }, { buildId: 'bb22', offered: true, rejected: true, willWrite: true, answer: 'flags1cli.cjs' });
    // Replaced by one made under --no-opt, which that configuration now takes.
    assert.equal(run(s, cache, 'node', ['--no-opt']).rejected, false);
  });
});

test('a damaged V8 header (as from another V8 version) is refused and the script still runs', () => {
  withDir((dir) => {
    const s = join(dir, 'cli.cjs');
    const cache = join(dir, 'cli.cjs.cache');
    writeFileSync(s, publishing('cc33', 'damaged'));
    run(s, cache, 'node');
    const bytes = readFileSync(cache);
    const dataStart = bytes.length - readCacheFile(cache)!.data.length;
    // V8's header: magic number, then the hash of its version (bytes 4-7); change that hash.
    for (let i = dataStart + 4; i < dataStart + 8; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(cache, bytes);
    const r = run(s, cache, 'node');
    assert.deepEqual({ ...r }, { buildId: 'cc33', offered: true, rejected: true, willWrite: true, answer: 'damaged1cli.cjs' });
    assert.equal(run(s, cache, 'node').rejected, false, 'rewritten whole');
  });
});

test('another build of the script, even of the same length, or another Node version does not get the cache', () => {
  withDir((dir) => {
    const s = join(dir, 'cli.cjs');
    const cache = join(dir, 'cli.cjs.cache');
    writeFileSync(s, publishing('dd44', 'old!'));
    run(s, cache, 'node');
    // Same length, other code: V8 compares only the source length, so the build id must decide.
    const rebuilt = publishing('ee55', 'new!');
    assert.equal(rebuilt.length, readFileSync(s, 'utf8').length);
    writeFileSync(s, rebuilt);
    const r = run(s, cache, 'node');
    assert.deepEqual({ ...r }, { buildId: 'ee55', offered: false, rejected: false, willWrite: true, answer: 'new!1cli.cjs' });
    // A cache whose key names another Node version is ignored the same way.
    const file = readCacheFile(cache)!;
    const header = JSON.stringify({ key: `ee55 v0.0.1 ${process.arch}`, words: ['node'] });
    writeFileSync(cache, Buffer.concat([Buffer.from(`shoal-code-cache 1\n${header}\n`), file.data]));
    assert.equal(run(s, cache, 'node').offered, false);
  });
});

test('no cache file, an unwritable place, or a script without a build id: the script runs without a cache', () => {
  withDir((dir) => {
    const s = join(dir, 'cli.cjs');
    writeFileSync(s, publishing('ff66', 'plain'));
    assert.deepEqual({ ...run(s, null, 'node') }, { buildId: 'ff66', offered: false, rejected: false, willWrite: false, answer: 'plain1cli.cjs' });
    const nowhere = join(dir, 'no-such-dir', 'cli.cjs.cache');
    assert.equal(run(s, nowhere, 'node').answer, 'plain1cli.cjs');
    assert.equal(readCacheFile(nowhere), null);
    writeFileSync(s, publishing('ff66', 'nobuild').replace(/^\/\/ shoal-build \w+\n/, ''));
    assert.deepEqual({ ...run(s, join(dir, 'c'), 'node') }, { buildId: null, offered: false, rejected: false, willWrite: false, answer: 'nobuild1cli.cjs' });
  });
});
