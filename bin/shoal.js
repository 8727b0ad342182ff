#!/usr/bin/env node
// The CLI entry point: the TypeScript source is bin/cli.ts, compiled to dist/.
import '../dist/bin/cli.js';
