/**
 * What the site shows from inside a package's tarball: its README, its source location (granary.json)
 * and the quality signals of its file list. The tarball is fetched and checked against its index line
 * (fetchTarball, through the tarball cache) and read in memory under the extractor's rules (tarball-files.ts). The facts are kept per tarball hash under the cache directory,
 * so a rebuild reads no tarball it has read before; with them, the README as HTML, so a rebuild renders
 * no README it has rendered before (the cache directory is trusted as much as the TUF state beside it).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexLine, Location } from '../../schema/types.js';
import { fetchTarball } from '../fetch/fetch-tarball.js';
import type { ReadOptions } from '../fetch/read-verified.js';
import type { Quality } from '../search.js';
import { writeFileAtomic } from '../sources/atomic-write.js';
import type { Registry } from '../types.js';
import { qualityOf, readmeFile } from './file-signals.js';
import { readTarballFiles } from './tarball-files.js';

export interface PackageFacts {
  /** The version whose tarball was read. */
  version: string;
  /** Regular files in the tarball, granary.json included. */
  files: number;
  quality: Quality;
  readme?: {
    file: string;
    text: string;
    /** The README as HTML for the line read, when FactsOptions.readmeHtml asked for it. */
    html?: string;
  };
  /** granary.json's `location`: where the source was fetched from. */
  location?: Location;
}

export interface FactsOptions {
  cacheDir: string;
  cwd: string;
  read?: ReadOptions;
  maxTarballBytes?: number;
  /** Render the README as HTML too, once per tarball, commit and renderer. */
  readmeHtml?: ReadmeRenderer;
}

export interface ReadmeRenderer {
  /** Who renders: HTML cached by another renderer is made again. */
  renderer: string;
  render(readme: { file: string; text: string }, facts: PackageFacts, line: IndexLine): string;
}

/** What the cache directory keeps per tarball hash. */
interface FactsRecord {
  format?: number;
  facts?: PackageFacts;
  /** The README as HTML, and the renderer and commit it was rendered by and for. */
  readme?: { key: string; html: string };
}

/** Bumped when what is recorded changes, so older records are read again from their tarballs. */
const FACTS_FORMAT = 1;
/** A README larger than this is read only this far. */
const MAX_README_BYTES = 512 * 1024;
const MANIFEST = 'granary.json';

/** The facts of `line`'s tarball: from the cache directory, else from the verified tarball. */
export async function readPackageFacts(
  registry: Registry,
  line: IndexLine,
  options: FactsOptions,
): Promise<PackageFacts> {
  const record = join(options.cacheDir, 'site-facts', line.sha256.slice(0, 2), `${line.sha256}.json`);
  const cached = await readFile(record, 'utf8')
    .then((text) => JSON.parse(text) as FactsRecord)
    .catch(() => undefined);
  const known = cached?.format === FACTS_FORMAT && cached.facts?.version === line.version ? cached.facts : undefined;
  const renderer = options.readmeHtml;
  const key = renderer === undefined ? undefined : `${renderer.renderer}\n${line.commit}`;
  if (known !== undefined) {
    if (renderer === undefined || known.readme === undefined) return known;
    const html = cached?.readme;
    if (html !== undefined && html.key === key) return withHtml(known, html.html);
  }
  const facts = known ?? (await factsFromTarball(registry, line, options));
  const html = renderer && facts.readme ? renderer.render(facts.readme, facts, line) : undefined;
  const kept: FactsRecord = {
    format: FACTS_FORMAT,
    facts,
    ...(key === undefined || html === undefined ? {} : { readme: { key, html } }),
  };
  await writeFileAtomic(record, `${JSON.stringify(kept)}\n`);
  return html === undefined ? facts : withHtml(facts, html);
}

function withHtml(facts: PackageFacts, html: string): PackageFacts {
  return facts.readme === undefined ? facts : { ...facts, readme: { ...facts.readme, html } };
}

async function factsFromTarball(registry: Registry, line: IndexLine, options: FactsOptions): Promise<PackageFacts> {
  const { bytes } = await fetchTarball(registry, line, {
    cacheDir: options.cacheDir,
    cwd: options.cwd,
    ...(options.maxTarballBytes === undefined ? {} : { maxTarballBytes: options.maxTarballBytes }),
    ...(options.read === undefined ? {} : { read: options.read }),
  });
  const shown = (path: string) => path === MANIFEST || readmeFile([path]) === path;
  const { paths, contents } = await readTarballFiles(bytes, line, shown, MAX_README_BYTES);
  const own = paths.filter((p) => p !== MANIFEST);
  const readme = readmeFile(own);
  const readmeText = readme === undefined ? undefined : contents.get(readme)?.toString('utf8');
  const location = manifestLocation(contents.get(MANIFEST));
  return {
    version: line.version,
    files: paths.length,
    quality: qualityOf(own, readmeText?.trim().length ?? 0),
    ...(readme === undefined || readmeText === undefined ? {} : { readme: { file: readme, text: readmeText } }),
    ...(location === undefined ? {} : { location }),
  };
}

/** granary.json's location when it has the shape of one; anything else is left out. */
function manifestLocation(bytes: Buffer | undefined): Location | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(bytes?.toString('utf8') ?? '');
  } catch {
    return undefined;
  }
  const location = (manifest as { location?: unknown } | null)?.location;
  if (typeof location !== 'object' || location === null) return undefined;
  const { github, git, subdir } = location as Record<string, unknown>;
  const sub = typeof subdir === 'string' ? { subdir } : {};
  if (typeof github === 'string') return { github, ...sub };
  if (typeof git === 'string') return { git, ...sub };
  return undefined;
}
