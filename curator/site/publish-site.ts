/**
 * `site publish`: the registry's website on its index branch. The site of the branch's verified index (and
 * its download counts) is built with the client's site builder and committed under site/, through the one
 * writer of the index branch: GitHub Pages, which serves that branch, then serves the site next to the index
 * (`https://OWNER.github.io/REPO/site/`) from the same push. It is rebuilt only when what it shows changed:
 * a new index generation, new download counts, another base path.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { buildSite, normalizeBasePath, openRegistry, type SiteReport } from '../../client/index.js';
import { SITE_MANIFEST } from '../../client/site/write-site.js';
import { UsageError } from '../../core/errors.js';
import { gitBlobId } from '../../core/git/blob-id.js';
import { sha256Hex } from '../../core/hash.js';
import { SITE_DIR, STATS_FILE } from '../../core/index-companions.js';
import { versionedMetadataPath } from '../../core/tuf-layout.js';
import { registryAt } from '../curate/curate.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { listTree } from '../git/tree.js';
import { checkBranchName, commitIndex } from '../index/index-branch.js';
import { registryRoots } from '../index/tuf/trust.js';

/** What the site on the branch was built from (site/.granary-source.json: a dot file, so Pages does not serve it). */
export const SITE_SOURCE_FILE = `${SITE_DIR}/.granary-source.json`;

export interface PublishSiteOptions {
  repoDir: string;
  /** Default: registry.yaml `indexBranch` at HEAD. */
  indexBranch?: string;
  /** The URL path the site is served under (default `/`); on GitHub Pages, `/<repository>/site/`. */
  basePath?: string;
  /** The client's cache (verified tarballs, what the site read from each): keep it between runs to read each tarball once. */
  cacheDir: string;
  /** Build and commit even if the site on the branch shows this index and these counts already. */
  force?: boolean;
  /** The date of the commit (default now). */
  now?: number;
  log?: (line: string) => void;
}

export interface PublishedSite {
  /** `published`: committed; `up-to-date`: the site shows this index already; `no-index`: there is no index branch yet. */
  outcome: 'published' | 'up-to-date' | 'no-index';
  branch: string;
  /** The new commit on the index branch, when one was made. */
  indexCommit: string | undefined;
  /** The index generation the site shows. */
  snapshotVersion: number | undefined;
  /** Paths under site/ the commit wrote and removed (a rebuild after one change touches only the pages showing it). */
  written: string[];
  removed: string[];
  /** What the builder reported (pages, packages, tarballs it could not read). */
  site: SiteReport | undefined;
}

/** Build the site of the clone's index branch and commit it under site/ of that branch. */
export async function publishSite(options: PublishSiteOptions): Promise<PublishedSite> {
  const basePath = normalizeBasePath(options.basePath ?? '/');
  const git = new Git(options.repoDir, { hint: REGISTRY_REPO_HINT });
  try {
    const head = await git.resolveRef('HEAD');
    if (head === undefined) throw new UsageError('the registry repository has no commits', { where: git.dir });
    const registryConfig = await registryAt(git.objects, head);
    const branch = checkBranchName(options.indexBranch ?? registryConfig.indexBranch);
    const result: PublishedSite = {
      outcome: 'no-index',
      branch,
      indexCommit: undefined,
      snapshotVersion: undefined,
      written: [],
      removed: [],
      site: undefined,
    };
    const tip = await git.resolveRef(`refs/heads/${branch}`);
    if (tip === undefined) return result;

    // The site shows only what the index says, verified from the registry's roots on main as any client would.
    const roots = await registryRoots(git.objects, head, registryConfig, {
      published: await git.objects.read(`${tip}:${versionedMetadataPath('root', 1)}`),
    });
    const registry = await openRegistry(
      options.repoDir,
      { cwd: options.repoDir, trustRoot: roots.bytes[0]!, cacheDir: options.cacheDir },
      { branch },
    );
    result.snapshotVersion = registry.snapshot.version;
    const stats = await git.objects.read(`${tip}:${STATS_FILE}`);
    const source = `${JSON.stringify({
      format: 1,
      snapshot: registry.snapshot.version,
      stats: stats === undefined ? null : sha256Hex(stats),
      basePath,
    })}\n`;
    const built = await git.objects.read(`${tip}:${SITE_SOURCE_FILE}`);
    if (options.force !== true && built?.toString('utf8') === source) return { ...result, outcome: 'up-to-date' };

    const outDir = await mkdtemp(join(tmpdir(), 'granary-site-'));
    try {
      result.site = await buildSite(registry, {
        outDir,
        basePath,
        cacheDir: options.cacheDir,
        cwd: options.repoDir,
        ...(options.log ? { log: options.log } : {}),
      });
      const changes = await siteChanges(git, tip, outDir);
      changes.set(SITE_SOURCE_FILE, Buffer.from(source));
      for (const [path, bytes] of changes)
        if (path !== SITE_SOURCE_FILE) (bytes === null ? result.removed : result.written).push(path);
      const committed = await commitIndex(git, {
        branch,
        parent: tip,
        changes,
        message: `Build the website: snapshot version ${registry.snapshot.version}, ${result.site.pages} pages\n\n${result.written.length} file(s) written, ${result.removed.length} removed under ${SITE_DIR}/ (base path ${basePath}).\n`,
        date: new Date(options.now ?? Date.now()).toISOString(),
      });
      return { ...result, outcome: 'published', indexCommit: committed.commit };
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  } finally {
    git.close();
  }
}

/** What to commit under site/: the built files whose bytes differ from the branch's, and null for those gone. */
async function siteChanges(git: Git, tip: string, outDir: string): Promise<Map<string, Buffer | null>> {
  const format = tip.length === 64 ? 'sha256' : 'sha1';
  const existing = new Map<string, string>();
  for (const entry of await listTree(git, tip, { sizes: false, paths: [SITE_DIR] }))
    if (entry.type === 'blob') existing.set(entry.path, entry.id);
  const changes = new Map<string, Buffer | null>();
  const seen = new Set<string>([SITE_SOURCE_FILE]);
  for (const file of await filesUnder(outDir)) {
    const path = `${SITE_DIR}/${file}`;
    seen.add(path);
    const bytes = await readFile(join(outDir, ...file.split('/')));
    if (existing.get(path) !== gitBlobId(bytes, format)) changes.set(path, bytes);
  }
  for (const path of existing.keys()) if (!seen.has(path)) changes.set(path, null);
  return changes;
}

/** The site's files, `/`-separated, without the builder's own list of them. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => path !== SITE_MANIFEST)
    .sort();
}
