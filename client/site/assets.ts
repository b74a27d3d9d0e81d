/**
 * The site's static files: the stylesheet, the ranking (the very file `granary search` imports), the
 * two page scripts, and MiniSearch's browser build, taken from the installed `minisearch` package with
 * its license. Scripts are read from beside this module, so a packed granary ships what it copies.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SiteFile } from './layout.js';
import { SCRIPTS, STYLESHEET } from './paths.js';
import { STYLESHEET_TEXT } from './style.js';

/** The files every site has, whatever the index holds. */
export async function staticAssets(): Promise<SiteFile[]> {
  const here = (file: string) => readFile(new URL(file, import.meta.url));
  return [
    { path: STYLESHEET, bytes: STYLESHEET_TEXT },
    { path: SCRIPTS.ranking, bytes: await here('./ranking.cjs') },
    { path: SCRIPTS.search, bytes: await here('./browser/search-page.cjs') },
    { path: SCRIPTS.lookup, bytes: await here('./browser/lookup-page.cjs') },
    { path: SCRIPTS.minisearch, bytes: await miniSearchBrowserBuild() },
  ];
}

/** MiniSearch's UMD build (it defines `window.MiniSearch`), its license first and no source-map comment. */
async function miniSearchBrowserBuild(): Promise<string> {
  // `minisearch` resolves to <package>/dist/cjs/index.cjs; the UMD build is not in its exports map.
  const root = join(dirname(createRequire(import.meta.url).resolve('minisearch')), '..', '..');
  const [code, license, manifest] = await Promise.all([
    readFile(join(root, 'dist', 'umd', 'index.js'), 'utf8'),
    readFile(join(root, 'LICENSE.txt'), 'utf8').catch(() => 'MIT License'),
    readFile(join(root, 'package.json'), 'utf8'),
  ]);
  const version = (JSON.parse(manifest) as { version?: string }).version ?? '';
  const notice = `/*! MiniSearch ${version} (https://github.com/lucaong/minisearch)\n${license.trim().replaceAll('*/', '* /')}\n*/\n`;
  return notice + code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}
