/**
 * The `github:OWNER/REPO` store: one GitHub Release per package, continuation releases past the asset limit;
 * or, in the per-version layout, one release per version (docs/release-stores.md).
 */
import type { Octokit } from '@octokit/rest';
import { AssetConflictError, GitHubApiError, InputError, UsageError, shown } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { releaseTag, versionReleaseTag } from '../../core/names.js';
import type { ReleaseLayout } from '../../core/registry-config.js';
import type { Pacer } from '../github/pacer.js';
import { assetNameError, parseReleaseTag, parseVersionReleaseTag, versionOfAsset } from './asset-name.js';
import { githubError, isAlreadyExists, statusOf } from '../github/api-error.js';
import type { AssetDownloads, PutResult, ReleaseStore } from './store.js';

/** GitHub's limit of assets per release. */
export const GITHUB_MAX_ASSETS_PER_RELEASE = 1000;

/**
 * A release listing embeds its assets. GitHub documents no cap on that list, so one that holds this many
 * (a page's worth) is listed again, page by page, through the release's own asset listing.
 */
const EMBEDDED_ASSETS_TRUSTED_BELOW = 100;

/** The GitHub repository whose releases hold the tarballs, the client, and the release layout. */
export interface GitHubStoreOptions {
  owner: string;
  repo: string;
  octokit: Octokit;
  /** Roll over to a continuation release once a release holds this many assets (default 1000, GitHub's limit). */
  maxAssetsPerRelease?: number;
  /** Web root that download URLs start with (default `https://github.com`; the server URL on GitHub Enterprise). */
  serverUrl?: string;
  /** Progress lines (release created, incomplete upload cleared). */
  log?: (line: string) => void;
  /** `per-package` (default) or `per-version`: registry.yaml `releases`. */
  releases?: ReleaseLayout;
  /** Waited on before every content-creating request (release, upload, publish, deletion). */
  pacer?: Pacer;
}

/**
 * The releases one asset may live in: a package's (tag `<name>`, continued as `<name>.<n>`) or a version's
 * (tag `<name>@<version>`, never continued: it holds one tarball and its sidecar).
 */
interface Series {
  pkg: string;
  key: string;
  tag(part: number): string;
  body(part: number): string;
  continues: boolean;
}

function packageSeries(pkg: string): Series {
  return {
    pkg,
    key: pkg,
    tag: (part) => releaseTag(pkg, part),
    body: (part) => releaseBody(pkg, part),
    continues: true,
  };
}

function versionSeries(pkg: string, version: string): Series {
  const tag = versionReleaseTag(pkg, version);
  return {
    pkg,
    key: tag,
    tag: () => tag,
    body: () =>
      `Version ${version} of the package \`${pkg}\`, uploaded by the registry curator.\n\nThe tarball has a \`.sha256\` sidecar. This release is complete when it appears and is never changed; do not edit or delete it by hand.\n`,
    continues: false,
  };
}

interface AssetInfo {
  id: number;
  name: string;
  size: number;
  /** `uploaded`, or `open` for an upload that never finished. */
  state: string;
  /** `sha256:<hex>` GitHub computes for an upload; null from hosts that do not. */
  digest?: string | null | undefined;
}

interface ReleaseState {
  part: number;
  tag: string;
  id: number;
  /** A draft is invisible to everyone but the repository's writers until `seal` publishes it. */
  draft: boolean;
  /** Upload API root taken from the release's `upload_url` (differs on GitHub Enterprise). */
  uploadBaseUrl: string;
  assets: Map<string, AssetInfo>;
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The asset path of `fileName` in release `tag`: the tag is one percent-encoded path segment
 * (`@scope/name` → `%40scope%2Fname`), the form GitHub's own download URLs use.
 */
export function githubAssetPath(tag: string, fileName: string): string {
  return `${encodeURIComponent(tag)}/${fileName}`;
}

/** A release store on GitHub Releases of OWNER/REPO. */
export function createGitHubStore(options: GitHubStoreOptions): ReleaseStore {
  const { owner, repo, octokit } = options;
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') {
    throw new UsageError(`not a GitHub repository: ${shown(`${owner}/${repo}`)}`, {
      hint: 'use github:OWNER/REPO, e.g. github:acme/registry-assets',
    });
  }
  const max = options.maxAssetsPerRelease ?? GITHUB_MAX_ASSETS_PER_RELEASE;
  if (!Number.isInteger(max) || max < 1 || max > GITHUB_MAX_ASSETS_PER_RELEASE) {
    throw new UsageError(
      `maxAssetsPerRelease must be an integer from 1 to ${GITHUB_MAX_ASSETS_PER_RELEASE}, got ${shown(max)}`,
    );
  }
  const fullName = `${owner}/${repo}`;
  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const log = options.log ?? (() => {});
  const layout = options.releases ?? 'per-package';
  const paced = async <T>(write: () => Promise<T>): Promise<T> => {
    await options.pacer?.take();
    return write();
  };
  const releaseCache = new Map<string, { pkg: string; releases: Promise<ReleaseState[]> }>();
  let drafts: Promise<Map<string, ReleaseData>> | undefined;
  const queues = new Map<string, Promise<unknown>>();
  let defaultBranch: Promise<string> | undefined;

  const fail =
    (action: string) =>
    (error: unknown): never => {
      throw githubError(error, action, { repo: fullName, permission: 'contents: write' });
    };

  /** Run `work` after every earlier operation on the same package: rollover decisions need a stable view. */
  function serialized<T>(pkg: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(pkg) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    queues.set(pkg, settled);
    void settled.then(() => {
      if (queues.get(pkg) === settled) queues.delete(pkg);
    });
    return next;
  }

  /** The releases an asset of `pkg` named `fileName` goes to, in this store's layout. */
  function seriesFor(pkg: string, fileName: string): Series {
    if (layout === 'per-package') return packageSeries(pkg);
    const version = versionOfAsset(pkg, fileName);
    if (version === undefined)
      throw new InputError(`${shown(fileName)} is not an asset of a version of ${pkg}`, {
        where: `${fullName} (releases: per-version)`,
        hint: 'asset names come from `tarballName()` and `sidecarFor()`',
      });
    return versionSeries(pkg, version);
  }

  function releasesOf(series: Series): Promise<ReleaseState[]> {
    let cached = releaseCache.get(series.key);
    if (!cached) {
      const releases = loadReleases(series);
      cached = { pkg: series.pkg, releases };
      releaseCache.set(series.key, cached);
      releases.catch(() => releaseCache.delete(series.key));
    }
    return cached.releases;
  }

  async function loadReleases(series: Series): Promise<ReleaseState[]> {
    const releases: ReleaseState[] = [];
    for (let part = 1; part === 1 || series.continues; part++) {
      const release = await releaseByTag(series.tag(part), part);
      if (!release) return releases;
      releases.push(release);
    }
    return releases;
  }

  async function releaseByTag(tag: string, part: number): Promise<ReleaseState | undefined> {
    try {
      const { data } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag });
      const release = stateOf(data, part);
      await refreshAssets(release);
      return release;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      return fail(`looking up release ${tag}`)(error);
    }
  }

  async function refreshAssets(release: ReleaseState): Promise<void> {
    const assets = await octokit
      .paginate(octokit.rest.repos.listReleaseAssets, { owner, repo, release_id: release.id, per_page: 100 })
      .catch(fail(`listing the assets of release ${release.tag}`));
    release.assets = new Map(assets.map((a) => [a.name, assetInfo(a)]));
  }

  function branch(): Promise<string> {
    if (!defaultBranch) {
      defaultBranch = octokit.rest.repos
        .get({ owner, repo })
        .then(({ data }) => data.default_branch)
        .catch(fail(`reading the default branch of ${fullName}`));
      defaultBranch.catch(() => (defaultBranch = undefined));
    }
    return defaultBranch;
  }

  /**
   * Draft releases by tag. GitHub finds a draft by no tag (its tag does not exist until it is published), so a
   * draft an interrupted run left is found by listing the releases, once per store.
   */
  function draftsByTag(): Promise<Map<string, ReleaseData>> {
    if (!drafts) {
      drafts = octokit
        .paginate(octokit.rest.repos.listReleases, { owner, repo, per_page: 100 })
        .then((all) => new Map(all.filter((r) => r.draft).map((r) => [r.tag_name, r as ReleaseData])))
        .catch(fail(`listing the releases of ${fullName}`));
      drafts.catch(() => (drafts = undefined));
    }
    return drafts;
  }

  /**
   * A new release of the package, as a draft: it becomes visible only when `seal` publishes it with its assets,
   * so no one sees a release without them, and GitHub's immutable releases (which refuse uploads to a published
   * release) accept it. A draft an interrupted run left is taken up again.
   */
  async function createRelease(series: Series, part: number): Promise<ReleaseState> {
    const tag = series.tag(part);
    const left = (await draftsByTag()).get(tag);
    if (left !== undefined) {
      const release = stateOf(left, part);
      await refreshAssets(release);
      log(`taking up the draft release ${tag} in ${fullName}`);
      return release;
    }
    const target = await branch();
    try {
      const { data } = await paced(() =>
        octokit.rest.repos.createRelease({
          owner,
          repo,
          tag_name: tag,
          target_commitish: target,
          name: tag,
          body: series.body(part),
          draft: true,
          prerelease: false,
          // Package releases must not take "Latest" from whatever the repository itself releases.
          make_latest: 'false',
        }),
      );
      log(`created draft release ${tag} in ${fullName}`);
      const release = stateOf(data, part);
      (await draftsByTag()).set(tag, data);
      return release;
    } catch (error) {
      // Another curator run created it first: use theirs.
      if (isAlreadyExists(error)) {
        const existing = await releaseByTag(tag, part);
        if (existing) return existing;
      }
      return fail(`creating release ${tag}`)(error);
    }
  }

  async function upload(
    release: ReleaseState,
    fileName: string,
    data: Buffer,
    pkg: string,
    retried = false,
  ): Promise<PutResult> {
    try {
      const { data: asset } = await paced(() =>
        octokit.rest.repos.uploadReleaseAsset({
          owner,
          repo,
          release_id: release.id,
          name: fileName,
          // Octokit types the body as string; a Buffer goes to fetch unchanged, byte for byte.
          data: data as unknown as string,
          baseUrl: release.uploadBaseUrl,
          headers: { 'content-type': contentTypeOf(fileName), 'content-length': data.byteLength },
        }),
      );
      release.assets.set(fileName, assetInfo(asset));
      return result(release, fileName, 'created');
    } catch (error) {
      if (isImmutableRefusal(error)) {
        throw new GitHubApiError(
          `GitHub refuses ${fileName}: release ${release.tag} of ${fullName} is immutable (immutable releases are on for the repository or its organization), so ${layout === 'per-package' ? 'a published package release can take no new version' : 'it can take no asset it lacks'}`,
          422,
          undefined,
          {
            where: `${fullName} release ${release.tag}`,
            hint:
              layout === 'per-package'
                ? `set \`releases: per-version\` in registry.yaml (one release per version, complete when it appears: what immutable releases accept), or publish the assets to a repository without immutable releases (\`stores: [github:OWNER/REPO-assets]\`), or turn immutable releases off for ${fullName} (Settings → General → Releases); nothing was published, curate again after the change`
                : `release ${release.tag} was published before curate uploaded all its assets (by hand?); GitHub never lets an immutable release's tag be used again, even after deletion, so ${pkg} cannot get this version from ${fullName}: a trustee unpublishes it (deletes its definition) and the author publishes the next version`,
            cause: error,
          },
        );
      }
      if (!isAlreadyExists(error)) return fail(`uploading ${fileName} to release ${release.tag}`)(error);
      // Someone (another run, or a retried request that did land) uploaded it first: compare.
      await refreshAssets(release);
      const existing = release.assets.get(fileName);
      if (!existing) {
        throw new GitHubApiError(
          `GitHub says ${fileName} already exists in release ${release.tag} but does not list it`,
          422,
          undefined,
          {
            where: `${fullName} release ${release.tag}`,
            hint: 'run the same command again in a minute; GitHub may still be processing the upload',
            cause: error,
          },
        );
      }
      return settle(release, existing, data, pkg, retried);
    }
  }

  /** An asset of that name is there: same bytes → reused, different → conflict, unfinished upload → cleared and retried. */
  async function settle(
    release: ReleaseState,
    existing: AssetInfo,
    data: Buffer,
    pkg: string,
    retried: boolean,
  ): Promise<PutResult> {
    if (existing.state !== 'uploaded' && !retried) {
      // An upload that never finished has no downloadable bytes; clearing it loses nothing.
      log(`clearing unfinished upload of ${existing.name} in release ${release.tag}`);
      await deleteAsset(release, existing);
      return upload(release, existing.name, data, pkg, true);
    }
    // GitHub's digest of the upload says whether the bytes are the same without downloading them (a resumed
    // first publication compares thousands of assets); without one, the asset is read back.
    const digest = /^sha256:([0-9a-f]{64})$/.exec(existing.digest ?? '')?.[1];
    const currentSha = digest ?? sha256Hex(await download(existing.id, existing.name));
    if (currentSha === sha256Hex(data)) return result(release, existing.name, 'reused');
    const asset = githubAssetPath(release.tag, existing.name);
    throw new AssetConflictError(
      `asset ${release.tag}/${existing.name} already exists with different bytes (existing sha256 ${currentSha}, new sha256 ${sha256Hex(data)})`,
      {
        where: `${serverUrl}/${owner}/${repo}/releases/download/${asset}`,
        hint: 'published assets are never replaced: find out why the build differs (a moved ref, a changed packer) and publish a new version instead',
      },
    );
  }

  async function download(assetId: number, name: string): Promise<Buffer> {
    const response = await octokit
      .request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
        owner,
        repo,
        asset_id: assetId,
        headers: { accept: 'application/octet-stream' },
        // Keep the body as raw bytes whatever content type the download host answers with.
        request: { parseSuccessResponseBody: false },
      })
      .catch(fail(`downloading asset ${name}`));
    return bytesOf(response.data as unknown);
  }

  async function deleteAsset(release: ReleaseState, asset: AssetInfo): Promise<boolean> {
    try {
      await paced(() => octokit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      return fail(`deleting asset ${asset.name} of release ${release.tag}`)(error);
    } finally {
      release.assets.delete(asset.name);
    }
  }

  async function deleteRelease(release: ReleaseState): Promise<boolean> {
    try {
      await paced(() => octokit.rest.repos.deleteRelease({ owner, repo, release_id: release.id }));
      log(`deleted release ${release.tag} in ${fullName}`);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      return fail(`deleting release ${release.tag}`)(error);
    }
  }

  function result(release: ReleaseState, fileName: string, status: PutResult['status']): PutResult {
    const asset = githubAssetPath(release.tag, fileName);
    return { asset, status, url: `${assetBase}/${asset}` };
  }

  const assetBase = `${serverUrl}/${owner}/${repo}/releases/download`;

  return {
    spec: `github:${fullName}`,
    assetBase,

    async put(pkg, fileName, bytes) {
      checkNames(pkg, fileName);
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const series = seriesFor(pkg, fileName);
      return serialized(pkg, async () => {
        const releases = await releasesOf(series);
        for (const release of releases) {
          const existing = release.assets.get(fileName);
          if (existing) return settle(release, existing, data, pkg, false);
        }
        let target = releases.at(-1);
        // Roll over before the limit: GitHub refuses the 1001st asset.
        if (!target || (series.continues && target.assets.size >= max)) {
          target = await createRelease(series, releases.length + 1);
          releases.push(target);
        }
        return upload(target, fileName, data, pkg);
      });
    },

    async seal(pkg) {
      return serialized(pkg, async () => {
        for (const cached of [...releaseCache.values()]) {
          if (cached.pkg !== pkg) continue;
          for (const release of await cached.releases) {
            if (!release.draft) continue;
            await paced(() =>
              octokit.rest.repos.updateRelease({
                owner,
                repo,
                release_id: release.id,
                draft: false,
                make_latest: 'false',
              }),
            ).catch(fail(`publishing the draft release ${release.tag}`));
            release.draft = false;
            (await draftsByTag()).delete(release.tag);
            log(`published release ${release.tag} in ${fullName}`);
          }
        }
      });
    },

    async find(pkg, fileName) {
      checkNames(pkg, fileName);
      const series = seriesFor(pkg, fileName);
      return serialized(pkg, async () => {
        for (const release of await releasesOf(series)) {
          const asset = release.assets.get(fileName);
          if (asset?.state === 'uploaded') return githubAssetPath(release.tag, fileName);
        }
        return undefined;
      });
    },

    async downloadCounts() {
      const releases = await octokit
        .paginate(octokit.rest.repos.listReleases, { owner, repo, per_page: 100 })
        .catch((error: unknown) => {
          throw githubError(error, `listing the releases of ${fullName}`, {
            repo: fullName,
            permission: 'contents: read',
          });
        });
      const counts: AssetDownloads[] = [];
      for (const release of releases) {
        // A draft is not published: nobody but the repository's writers can download from it.
        if (release.draft) continue;
        const of = packageOfTag(release.tag_name);
        if (of === undefined) continue;
        const assets =
          release.assets.length < EMBEDDED_ASSETS_TRUSTED_BELOW
            ? release.assets
            : await octokit
                .paginate(octokit.rest.repos.listReleaseAssets, {
                  owner,
                  repo,
                  release_id: release.id,
                  per_page: 100,
                })
                .catch(fail(`listing the assets of release ${release.tag_name}`));
        for (const asset of assets) {
          if (asset.state !== 'uploaded' || asset.name.endsWith('.sha256')) continue;
          const version = versionOfAsset(of.name, asset.name);
          if (version === undefined || (of.version !== undefined && of.version !== version)) continue;
          counts.push({
            name: of.name,
            version,
            asset: githubAssetPath(release.tag_name, asset.name),
            downloads: asset.download_count,
          });
        }
      }
      return counts;
    },

    async get(assetPath) {
      // Either layout's paths: a registry that changed layout keeps its earlier versions where they are.
      const { series, part, fileName } = parseGitHubAsset(assetPath);
      return serialized(series.pkg, async () => {
        const release = (await releasesOf(series)).find((r) => r.part === part);
        const asset = release?.assets.get(fileName);
        if (!asset || asset.state !== 'uploaded') return undefined;
        return download(asset.id, fileName);
      });
    },

    async remove(pkg, fileName) {
      checkNames(pkg, fileName);
      // Unpublishing looks in both layouts: the version may have been published before the layout changed.
      const version = versionOfAsset(pkg, fileName);
      return serialized(pkg, async () => {
        let removed = false;
        for (const release of await releasesOf(packageSeries(pkg))) {
          const asset = release.assets.get(fileName);
          if (asset && (await deleteAsset(release, asset))) removed = true;
        }
        if (version === undefined) return removed;
        // A version's release goes whole (an immutable release refuses to lose an asset, not to be deleted);
        // its tag stays, as a version number is never used again.
        const series = versionSeries(pkg, version);
        for (const release of await releasesOf(series)) {
          if (release.assets.has(fileName) && (await deleteRelease(release))) removed = true;
        }
        releaseCache.delete(series.key);
        return removed;
      });
    },
  };
}

/** The package (and, for a per-version release, the version) a release tag of either layout names; undefined for any other tag. */
function packageOfTag(tag: string): { name: string; version?: string } | undefined {
  const ofVersion = parseVersionReleaseTag(tag);
  if (ofVersion !== undefined) return ofVersion;
  const ofPackage = parseReleaseTag(tag);
  return ofPackage === undefined ? undefined : { name: ofPackage.name };
}

function assetInfo(a: { id: number; name: string; size: number; state: string; digest?: string | null }): AssetInfo {
  return { id: a.id, name: a.name, size: a.size, state: a.state, digest: a.digest };
}

interface ReleaseData {
  id: number;
  tag_name: string;
  upload_url: string;
  draft?: boolean;
}

function stateOf(data: ReleaseData, part: number): ReleaseState {
  // upload_url is a URI template like https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}.
  const uploadBaseUrl = data.upload_url.replace(/\/repos\/.*$/, '');
  return { part, tag: data.tag_name, id: data.id, draft: data.draft === true, uploadBaseUrl, assets: new Map() };
}

/** GitHub's 422 for an upload to a published release of a repository with immutable releases. */
function isImmutableRefusal(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  return typeof data?.message === 'string' && /immutable release/i.test(data.message);
}

function releaseBody(pkg: string, part: number): string {
  const which =
    part === 1
      ? `Published versions of the package \`${pkg}\``
      : `Published versions of the package \`${pkg}\`, continued (part ${part})`;
  return `${which}, uploaded by the registry curator.\n\nEach tarball has a \`.sha256\` sidecar. Assets here are never replaced; do not edit or delete them by hand.\n`;
}

function contentTypeOf(fileName: string): string {
  if (fileName.endsWith('.tar.gz') || fileName.endsWith('.tgz')) return 'application/gzip';
  if (fileName.endsWith('.sha256')) return 'text/plain';
  return 'application/octet-stream';
}

function checkNames(pkg: string, fileName: string): void {
  try {
    releaseTag(pkg);
  } catch (error) {
    throw new InputError(`not a package name: ${shown(pkg)}`, {
      where: 'release store',
      hint: 'package names look like `name` or `@scope/name`',
      cause: error,
    });
  }
  const problem = assetNameError(fileName);
  if (problem)
    throw new InputError(`invalid asset name ${shown(fileName)}: ${problem}`, {
      where: pkg,
      hint: 'asset names come from `tarballName()` and `sidecarFor()`',
    });
}

/**
 * `%40scope%2Fname.2/file` (per-package) or `%40scope%2Fname%401.0.0/file` (per-version) → the releases,
 * the part and the file; anything else is refused.
 */
function parseGitHubAsset(assetPath: string): { series: Series; part: number; fileName: string } {
  const refuse = (): never => {
    throw new InputError(`not an asset path of a github: store: ${shown(assetPath)}`, {
      where: 'github store',
      hint: 'asset paths look like `<percent-encoded tag>/<file>`, e.g. `%40scope%2Fname/scope_name-1.0.0.tar.gz` or `%40scope%2Fname%401.0.0/scope_name-1.0.0.tar.gz`',
    });
  };
  if (typeof assetPath !== 'string') return refuse();
  const slash = assetPath.indexOf('/');
  if (slash <= 0 || assetPath.indexOf('/', slash + 1) >= 0) return refuse();
  const encodedTag = assetPath.slice(0, slash);
  const fileName = assetPath.slice(slash + 1);
  let tag: string;
  try {
    tag = decodeURIComponent(encodedTag);
  } catch {
    return refuse();
  }
  if (encodeURIComponent(tag) !== encodedTag || assetNameError(fileName)) return refuse();
  const ofVersion = parseVersionReleaseTag(tag);
  if (ofVersion !== undefined) {
    if (versionOfAsset(ofVersion.name, fileName) !== ofVersion.version) return refuse();
    return { series: versionSeries(ofVersion.name, ofVersion.version), part: 1, fileName };
  }
  const parsed = parseReleaseTag(tag);
  if (!parsed) return refuse();
  return { series: packageSeries(parsed.name), part: parsed.part, fileName };
}

async function bytesOf(body: unknown): Promise<Buffer> {
  if (body === null || body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(await new Response(body as ReadableStream<Uint8Array>).arrayBuffer());
}
