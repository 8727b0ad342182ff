/**
 * Display width without width tables, for the text the CLI prints nearly
 * always: printable ASCII is one terminal column per character.
 *
 * The bundled CLI (scripts/bundle-cli.mjs) puts this in front of every
 * `string-width` that yargs and cliui import: those measure each help cell
 * with Intl.Segmenter and Unicode-property regexps, and loading them alone
 * costs a large part of a command's start. Anything else (wide characters,
 * escapes, line breaks) still goes to the real string-width, loaded then.
 * test/cli/text-width.test.ts checks that both give the same widths.
 */

/** Printable ASCII only (space to tilde). */
export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The width of `text` if it is printable ASCII (its length), else undefined: measure it properly. */
export function printableAsciiWidth(text: unknown): number | undefined {
  return typeof text === 'string' && PRINTABLE_ASCII.test(text) ? text.length : undefined;
}
