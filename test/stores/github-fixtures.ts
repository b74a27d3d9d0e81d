/** Response bodies recorded from GitHub (`@octokit/fixtures`), with only URLs, ids and names adapted. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const OWNER = 'acme';
/** A JSON object body, as nock replies take it. */
export type Json = Record<string, unknown>;
export const REPO = 'registry-assets';

interface Recorded {
  method: string;
  path: string;
  status: number;
  response: unknown;
  headers: Record<string, string>;
}

const scenarios = join(
  dirname(createRequire(import.meta.url).resolve('@octokit/fixtures')),
  'scenarios',
  'api.github.com',
);
const cache = new Map<string, Recorded[]>();

/** The `index`-th recorded exchange of a scenario, e.g. `release-assets`. */
export function recorded(scenario: string, index: number): Recorded {
  let exchanges = cache.get(scenario);
  if (!exchanges) {
    exchanges = JSON.parse(readFileSync(join(scenarios, scenario, 'normalized-fixture.json'), 'utf8')) as Recorded[];
    cache.set(scenario, exchanges);
  }
  const exchange = exchanges[index];
  if (!exchange) throw new Error(`fixture ${scenario} has no exchange ${index}`);
  return structuredClone(exchange);
}

/**
 * Fields GitHub's API description now requires that the recordings predate, with the value GitHub sends
 * when the feature is not in use (the contract check holds every mock to today's description).
 */
export const SINCE_RECORDED = {
  asset: { digest: null },
  repository: { has_discussions: false },
  pullRequest: { auto_merge: null },
} as const;

/** Point every fixture URL at OWNER/REPO. */
function retarget<T>(value: T, fixtureRepo: string): T {
  return JSON.parse(JSON.stringify(value).split(`octokit-fixture-org/${fixtureRepo}`).join(`${OWNER}/${REPO}`)) as T;
}

/** A release as GET /releases/tags/{tag} and POST /releases answer (recorded: release-assets #0). */
export function releaseBody(id: number, tag: string, body = 'Initial release'): Record<string, unknown> {
  const release = retarget(recorded('release-assets', 0).response as Record<string, unknown>, 'release-assets');
  const encoded = encodeURIComponent(tag);
  return {
    ...release,
    url: `https://api.github.com/repos/${OWNER}/${REPO}/releases/${id}`,
    assets_url: `https://api.github.com/repos/${OWNER}/${REPO}/releases/${id}/assets`,
    upload_url: `https://uploads.github.com/repos/${OWNER}/${REPO}/releases/${id}/assets{?name,label}`,
    html_url: `https://github.com/${OWNER}/${REPO}/releases/tag/${encoded}`,
    tarball_url: `https://api.github.com/repos/${OWNER}/${REPO}/tarball/${encoded}`,
    zipball_url: `https://api.github.com/repos/${OWNER}/${REPO}/zipball/${encoded}`,
    id,
    tag_name: tag,
    name: tag,
    body,
  };
}

/** A release asset as the upload and the asset listing answer (recorded: release-assets #1). */
export function assetBody(
  id: number,
  tag: string,
  name: string,
  size: number,
  state = 'uploaded',
  digest: string | null = SINCE_RECORDED.asset.digest,
): Record<string, unknown> {
  const asset = retarget(recorded('release-assets', 1).response as Record<string, unknown>, 'release-assets');
  return {
    ...asset,
    ...SINCE_RECORDED.asset,
    url: `https://api.github.com/repos/${OWNER}/${REPO}/releases/assets/${id}`,
    id,
    name,
    label: '',
    content_type: name.endsWith('.sha256') ? 'text/plain' : 'application/gzip',
    state,
    size,
    digest,
    browser_download_url: `https://github.com/${OWNER}/${REPO}/releases/download/${encodeURIComponent(tag)}/${name}`,
  };
}

/** 422 for an asset name already taken (recorded: release-assets-conflict #1). */
export function assetAlreadyExistsBody(): Json {
  return recorded('release-assets-conflict', 1).response as Json;
}

/** 422 for a release tag already taken: the same recorded validation shape, naming the Release resource. */
export function releaseAlreadyExistsBody(): Json {
  const body = recorded('release-assets-conflict', 1).response as { errors: Array<Record<string, string>> };
  body.errors = [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }];
  return body as Json;
}

/** A 404 answer (recorded shape: branch-protection #0), with GitHub's generic message. */
export function notFoundBody(): Json {
  const body = recorded('branch-protection', 0) as Recorded;
  if (body.status !== 404) throw new Error('fixture branch-protection #0 is no longer a 404');
  return {
    ...(body.response as object),
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name',
  };
}

/** An error body of GitHub's recorded error shape (recorded: errors #0) with a given message. */
export function errorBody(message: string): Json {
  const body = recorded('errors', 0).response as Record<string, unknown>;
  delete body['errors'];
  return { ...body, message, documentation_url: 'https://docs.github.com/rest' };
}

/** The repository (recorded: get-repository #0), default branch `main`. */
export function repositoryBody(): Json {
  const repository = retarget(recorded('get-repository', 0).response as Record<string, unknown>, 'hello-world');
  return {
    ...repository,
    ...SINCE_RECORDED.repository,
    name: REPO,
    full_name: `${OWNER}/${REPO}`,
    default_branch: 'main',
  };
}

/** A Link header as GitHub sends it (format recorded: paginate-issues #1). */
export function linkHeader(path: string, page: number, last: number): string {
  const sample = recorded('paginate-issues', 1).headers['link'];
  if (!sample?.includes('rel="next"')) throw new Error('fixture paginate-issues #1 lost its Link header');
  const at = (n: number) => `<https://api.github.com${path}?per_page=100&page=${n}>`;
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.join(', ');
}

/** Response headers worth keeping from a recorded JSON answer (not its content-length or rate-limit values). */
export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
