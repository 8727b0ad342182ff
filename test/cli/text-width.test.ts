// Proves the bundled CLI's printable-ASCII width (bin/text-width.ts), which the bundle puts in front
// of every string-width that yargs and cliui use, gives exactly their widths: for each printable
// ASCII character, for strings of them, for the empty string; and that it declines (undefined,
// so the real string-width measures) anything else: wide characters, escapes, tabs, line breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printableAsciiWidth } from '../../bin/text-width.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

type Width = (text: string) => number;

/** The string-width copies the bundle covers: yargs's own (8.x) and cliui's and wrap-ansi's (7.x). */
async function realWidths(): Promise<[string, Width][]> {
  const out: [string, Width][] = [];
  for (const dir of ['node_modules/string-width', 'node_modules/cliui/node_modules/string-width', 'node_modules/wrap-ansi/node_modules/string-width']) {
    const mod = (await import(pathToFileURL(join(ROOT, dir, 'index.js')).href)) as { default: Width };
    out.push([dir, mod.default]);
  }
  return out;
}

test('printable ASCII: the same width as every string-width the CLI loads', async () => {
  const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
  const samples = ['', ...printable, printable.join(''), '  --data-dir  The node\'s state directory  [string] [default: $SHOAL_DATA_DIR or ~/.shoal]', 'shoal node ls [options]'];
  for (const [dir, width] of await realWidths()) {
    for (const s of samples) assert.equal(printableAsciiWidth(s), width(s), `${dir}: ${JSON.stringify(s)}`);
  }
});

test('anything but printable ASCII is left to the real string-width', () => {
  for (const s of ['日本', 'é', '\x1b[31mred\x1b[0m', 'a\tb', 'a\nb', '\x7f', '\u200b', '👍']) assert.equal(printableAsciiWidth(s), undefined, JSON.stringify(s));
  assert.equal(printableAsciiWidth(42), undefined);
});
