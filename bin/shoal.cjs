#!/usr/bin/env node
// The `shoal` command: the bundled CLI, built by `npm run build` (bin/launch.ts, docs/design/startup.md).
// CommonJS on purpose: an ES module entry would start Node's ES module loader first, which costs ~10 ms.
require('../dist/bin/shoal-launch.cjs');
