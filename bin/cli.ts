/**
 * The CLI entry point compiled by tsc (dist/bin/cli.js): what tests and the
 * daemon run. `bin/shoal.js` runs the bundled build of the same code instead
 * (scripts/bundle-cli.mjs, docs/design/startup.md).
 */
import { main } from './cli-main.js';

await main();
