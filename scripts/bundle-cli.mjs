// Bundles the CLI for the `shoal` command (part of `npm run build`, after tsc):
// - dist/bin/shoal-cli.cjs: the whole CLI (yargs, grpc-js, protobufjs, our code) in one CommonJS
//   file, so a command reads and compiles one file instead of resolving hundreds of modules, and
//   V8 can cache its compiled code (bin/code-cache.ts). better-sqlite3 (a native addon)
//   stays outside and is required from node_modules when a command needs it. dockerode is a
//   dev dependency now (the tests' image set-up): nothing in the CLI or the daemon imports it.
// - dist/bin/shoal-launch.cjs: the small launcher bin/shoal.cjs loads (bin/launch.ts).
// - dist/bin/shoal-daemon.cjs and shoal-daemon-launch.cjs: the node daemon (bin/daemon-main.ts, no
//   yargs) and its launcher with a code cache of its own (bin/daemon-launch.ts); what `init`,
//   `join` and `start` spawn (bin/daemon-entry.ts).
// Why and what it saves: docs/design/startup.md.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'dist/bin');

/**
 * `import.meta.url` keeps its meaning inside the bundle: each module gets the URL of the file it
 * was in the unbundled build (ours: its tsc output in dist/; a package's: its file in
 * node_modules). So the proto/ lookup, createRequire, the daemon's entry script and yargs's own
 * package lookup find the same files as the unbundled CLI does.
 */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|js|mjs|cjs)$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      let rel = relative(ROOT, args.path);
      const inPackage = rel.startsWith('node_modules');
      // A package's CommonJS file that names its own path (grpc-js's channelz.js and orca.js)
      // gets its own __dirname/__filename back, as it has outside the bundle.
      const cjsPaths = inPackage && /\.c?js$/.test(rel) && /\b__(dirname|filename)\b/.test(text) && !/^\s*(import|export)\s/m.test(text);
      if (!text.includes('import.meta') && !cjsPaths) return undefined;
      if (!inPackage) rel = `dist/${rel.replace(/\.ts$/, '.js')}`;
      if (cjsPaths) {
        text =
          `var __filename = require('node:path').join(__shoalRoot, ${JSON.stringify(rel)}), __dirname = require('node:path').dirname(__filename);\n` + text;
      }
      return { contents: text.replaceAll('import.meta.url', `__shoalModuleUrl(${JSON.stringify(rel)})`), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

const importMetaBanner =
  "const __shoalRoot = require('node:path').resolve(__dirname, '../..');\n" +
  "function __shoalModuleUrl(rel) { return require('node:url').pathToFileURL(require('node:path').join(__shoalRoot, rel)).href; }";

/**
 * Every `import 'string-width'` (yargs, cliui, wrap-ansi) gets bin/text-width.ts's printable-ASCII
 * width first; the real module (each importer's own version) is loaded only for other text.
 */
const stringWidthAscii = {
  name: 'string-width-ascii',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await b.resolve('string-width', { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'string-width-ascii' };
    });
    b.onLoad({ filter: /.*/, namespace: 'string-width-ascii' }, (args) => ({
      contents:
        `import { printableAsciiWidth } from ${JSON.stringify(join(ROOT, 'bin/text-width.ts'))};\n` +
        'let real;\n' +
        'export default function stringWidth(text, options) {\n' +
        '  const width = printableAsciiWidth(text);\n' +
        '  if (width !== undefined) return width;\n' +
        `  real ??= require(${JSON.stringify(args.path)}).default;\n` +
        '  return real(text, options);\n' +
        '}\n',
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  charset: 'ascii',
  // A third less to read; names stay, so stack traces still name functions.
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
  banner: { js: importMetaBanner },
};

/** Writes `text` whole (temp file, then rename: a command or daemon starting meanwhile never reads half a file). */
async function writeWhole(file, text) {
  await writeFile(`${file}.${process.pid}.tmp`, text);
  await rename(`${file}.${process.pid}.tmp`, file);
}

/** Writes `text` with a build id first (a hash of the text): the code cache's key (bin/code-cache.ts). */
async function writeWithBuildId(file, text) {
  const id = createHash('sha256').update(text).digest('hex').slice(0, 32);
  await writeWhole(file, `// shoal-build ${id}\n${text}`);
}

/**
 * Bundles one entry (`entry`: its source text, resolved from the repository root) into `outfile` with
 * a build id first, and removes the code caches of the previous build (`staleCache(name)` picks
 * them: they would be refused anyway, another build id; they need not lie around).
 */
async function buildCached({ entry, sourcefile, outfile, external, plugins, staleCache }) {
  const result = await build({
    ...common,
    stdin: { contents: entry, resolveDir: ROOT, sourcefile, loader: 'ts' },
    outfile,
    external,
    plugins,
  });
  await writeWithBuildId(outfile, result.outputFiles[0].text);
  for (const f of await readdir(OUT_DIR)) if (staleCache(f)) await rm(join(OUT_DIR, f), { force: true });
}

// The CLI. better-sqlite3, a native addon, stays outside (required from node_modules when a command needs it).
await buildCached({
  entry: "import { main } from './bin/cli-main.ts';\nvoid main();\n",
  sourcefile: 'shoal-cli-entry.ts',
  outfile: join(OUT_DIR, 'shoal-cli.cjs'),
  external: ['better-sqlite3'],
  plugins: [importMetaUrl, stringWidthAscii],
  staleCache: (f) => f === 'shoal-cli.cjs.cache',
});

// The node daemon (bin/daemon-main.ts): no yargs, no command table. Its entry exports `ready`, which
// its launcher waits for before writing the daemon's own code cache (bin/daemon-launch.ts). It reaches
// Docker through src/worker/docker-api.ts (when this bundle carried dockerode, its load was ≈ 200 ms
// of a daemon's start).
await buildCached({
  entry: "import { daemonMain } from './bin/daemon-main.ts';\nexport const ready = daemonMain();\n",
  sourcefile: 'shoal-daemon-entry.ts',
  outfile: join(OUT_DIR, 'shoal-daemon.cjs'),
  external: ['better-sqlite3'],
  plugins: [importMetaUrl],
  // One cache per set of node flags (shoal-daemon.cjs.<flags hash>.cache): all belong to the old build.
  staleCache: (f) => f.startsWith('shoal-daemon.cjs.') && f.endsWith('.cache'),
});

// init's certificate worker (src/manager/first-pki.ts): @peculiar/x509 in one file, run through a
// code cache of its own by its launcher (bin/pki-worker-launch.ts).
await buildCached({
  entry: "import { parentPort } from 'node:worker_threads';\nimport { serveFirstPki } from './src/manager/first-pki.ts';\nexport const done = serveFirstPki(parentPort);\n",
  sourcefile: 'shoal-pki-worker-entry.ts',
  outfile: join(OUT_DIR, 'shoal-pki-worker.cjs'),
  external: [],
  plugins: [importMetaUrl],
  staleCache: (f) => f.startsWith('shoal-pki-worker.cjs.') && f.endsWith('.cache'),
});
const pkiWorkerLauncher = await build({ ...common, entryPoints: [join(ROOT, 'bin/pki-worker-launch.ts')], outfile: join(OUT_DIR, 'shoal-pki-worker-launch.cjs'), plugins: [importMetaUrl] });
await writeWhole(join(OUT_DIR, 'shoal-pki-worker-launch.cjs'), pkiWorkerLauncher.outputFiles[0].text);

const daemonLauncher = await build({
  ...common,
  entryPoints: [join(ROOT, 'bin/daemon-launch.ts')],
  outfile: join(OUT_DIR, 'shoal-daemon-launch.cjs'),
  plugins: [importMetaUrl],
});
await writeWhole(join(OUT_DIR, 'shoal-daemon-launch.cjs'), daemonLauncher.outputFiles[0].text);

const launcher = await build({
  ...common,
  entryPoints: [join(ROOT, 'bin/launch.ts')],
  outfile: join(OUT_DIR, 'shoal-launch.cjs'),
  plugins: [importMetaUrl],
});
await writeWhole(join(OUT_DIR, 'shoal-launch.cjs'), launcher.outputFiles[0].text);
