/** Where the real PureScript registry snapshot lives: `../shared/data/purescript-registry` beside the repository, or $GRANARY_PURESCRIPT_DATA. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const PURESCRIPT_DATA =
  process.env.GRANARY_PURESCRIPT_DATA ?? resolve(here, '../../../shared/data/purescript-registry');
