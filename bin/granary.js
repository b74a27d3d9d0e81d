#!/usr/bin/env node
// Runs the compiled command line (built by `npm run build`, which `npm ci` runs through `prepare`).
import { main } from '../dist/scripts/cli.js';

process.exitCode = await main(process.argv.slice(2));
