#!/usr/bin/env node
// Runs the compiled command line (dist/, built by `npm ci` in a checkout and shipped in the package).
let cli;
try {
  cli = await import('../dist/cli/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/cli.js')) throw error;
  process.stderr.write(
    'granary: this copy has no dist/: run `npm ci` in the checkout to build it, or install a packed release.\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
