/** Links into a package's source at the exact commit it was packed from, for the forges whose URL layout is known. */
import type { Location } from '../../schema/types.js';

export interface SourceLinks {
  /** The location as a person reads it: `github:owner/repo`, or the git URL. */
  display: string;
  /** The source tree at the commit (subdirectory included), when the host is known. */
  tree?: string;
  /** A file of the package (a path relative to its root) as a page, and as raw bytes (for images). */
  blob?: (path: string) => string;
  raw?: (path: string) => string;
}

const OWNER_REPO = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;
const GITHUB_URL = /^https:\/\/github\.com\/([A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100})\/?$/i;
const GITLAB_URL = /^https:\/\/gitlab\.com\/([A-Za-z0-9][A-Za-z0-9._/-]{0,250}[A-Za-z0-9_-])\/?$/i;
const COMMIT = /^[0-9a-f]{40}$/;
const SUBDIR = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/;

/** Path segments percent-encoded, `/` kept. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The links for `location` at `commit`; only the display text when the host's layout is not known. */
export function sourceLinks(location: Location | undefined, commit: string): SourceLinks | undefined {
  if (location === undefined) return undefined;
  const subdir =
    typeof location.subdir === 'string' && SUBDIR.test(location.subdir) && !location.subdir.split('/').includes('..')
      ? `${location.subdir}/`
      : '';
  if ('github' in location && typeof location.github === 'string') {
    const display = `github:${location.github}`;
    const m = OWNER_REPO.exec(location.github);
    return m && COMMIT.test(commit)
      ? forge('github', m[0].replace(/\.git$/, ''), commit, subdir, display)
      : { display };
  }
  const url = (location as { git?: unknown }).git;
  if (typeof url !== 'string') return undefined;
  const bare = url.replace(/\.git$/, '');
  const github = GITHUB_URL.exec(bare);
  if (github && COMMIT.test(commit)) return forge('github', github[1]!, commit, subdir, url);
  const gitlab = GITLAB_URL.exec(bare);
  if (gitlab && COMMIT.test(commit)) return forge('gitlab', gitlab[1]!, commit, subdir, url);
  return { display: url };
}

function forge(kind: 'github' | 'gitlab', repo: string, commit: string, subdir: string, display: string): SourceLinks {
  if (kind === 'github') {
    const base = `https://github.com/${repo}`;
    return {
      display,
      tree: `${base}/tree/${commit}${subdir === '' ? '' : `/${encodePath(subdir.slice(0, -1))}`}`,
      blob: (path) => `${base}/blob/${commit}/${encodePath(subdir + path)}`,
      raw: (path) => `https://raw.githubusercontent.com/${repo}/${commit}/${encodePath(subdir + path)}`,
    };
  }
  const base = `https://gitlab.com/${repo}`;
  return {
    display,
    tree: `${base}/-/tree/${commit}${subdir === '' ? '' : `/${encodePath(subdir.slice(0, -1))}`}`,
    blob: (path) => `${base}/-/blob/${commit}/${encodePath(subdir + path)}`,
    raw: (path) => `${base}/-/raw/${commit}/${encodePath(subdir + path)}`,
  };
}
