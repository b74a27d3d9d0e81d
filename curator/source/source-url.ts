/**
 * The source allow-list: whether a definition's `location` names a source registry.yaml `sources`
 * allows (schemes and hosts), and the one URL git may then fetch. The PR gate and source fetching
 * both ask `checkSource`, so they never disagree about a URL.
 */
import { isAbsolute, resolve } from 'node:path';
import { shown } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { Location } from '../../schema/types.js';
import { SourceFailure } from './errors.js';

/** An allowed source: an https URL in its canonical spelling, or a local path. */
export type AllowedSource =
  | { scheme: 'https'; url: string }
  /** `relative`: the path is relative to the registry checkout (`file://./…`). */
  | { scheme: 'file'; path: string; relative: boolean };

/** Why a location is refused: the definition key it is under, a rule id, what is wrong and what to write instead. */
export interface SourceRefusal {
  key: 'github' | 'git';
  rule: 'source-invalid' | 'source-not-allowed';
  message: string;
  hint: string;
}

export type SourceVerdict = ({ allowed: true } & AllowedSource) | ({ allowed: false } & SourceRefusal);

export interface SourceUrl {
  /** What git is given. */
  url: string;
  scheme: 'https' | 'file';
  /** What people are shown (the location as written). */
  display: string;
}

const GITHUB = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// Authority, then a path of plain characters: no query, fragment, spaces or %-escapes.
const HTTPS = /^https:\/\/([^/?#]*)(\/[A-Za-z0-9._~+/-]*)$/i;
// A host name (letters, digits, '-', dots, optionally one final dot) or a bracketed IPv6 literal, then an optional port.
const AUTHORITY = /^([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::([0-9]{1,5}))?$/;
// `file:///absolute/path` or `file://./relative/path`: no host.
const FILE = /^file:\/\/(\/|\.\/)([A-Za-z0-9._~+/-]+)$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The verdict on `location` under registry.yaml `sources`: pure, no I/O. */
export function checkSource(location: Location, sources: RegistryConfig['sources']): SourceVerdict {
  const schemes = sources.schemes;
  const hosts = new Set(sources.hosts.map(hostKey));
  const allowed = `registry.yaml \`sources\` allows ${schemes.join(', ') || 'no'} sources${hosts.size > 0 ? ` on ${[...hosts].join(', ')}` : ''}`;
  const refuse = (key: SourceRefusal['key'], rule: SourceRefusal['rule'], message: string, hint: string) =>
    ({ allowed: false, key, rule, message, hint }) as const;

  if ('github' in location) {
    const m = typeof location.github === 'string' ? GITHUB.exec(location.github) : null;
    if (!m || m[2] === '.' || m[2] === '..')
      return refuse(
        'github',
        'source-invalid',
        `github location ${shown(location.github)} is not owner/repo`,
        'write `github: owner/repo`',
      );
    if (!schemes.includes('https') || !hosts.has('github.com'))
      return refuse('github', 'source-not-allowed', 'this registry does not accept GitHub sources', allowed);
    const repo = m[2]!.endsWith('.git') ? m[2]! : `${m[2]}.git`;
    return { allowed: true, scheme: 'https', url: `https://github.com/${m[1]}/${repo}` };
  }

  const raw: unknown = (location as { git?: unknown }).git;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048 || CONTROL.test(raw))
    return refuse(
      'git',
      'source-invalid',
      `git location ${shown(raw)} is not a URL`,
      'write e.g. `git: https://example.org/owner/repo.git`',
    );
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  if (scheme === undefined)
    return refuse(
      'git',
      'source-invalid',
      `git location ${shown(raw)} is not a URL`,
      'write e.g. `git: https://example.org/owner/repo.git` (scp-like `user@host:path` is not accepted)',
    );
  if (scheme === 'github')
    return refuse(
      'git',
      'source-not-allowed',
      `git location ${shown(raw)} uses a transport the registry never allows`,
      'write the GitHub shorthand as `location: { github: owner/repo }`',
    );
  if (scheme !== 'https' && scheme !== 'file')
    return refuse(
      'git',
      'source-not-allowed',
      `the scheme ${scheme} is not allowed for sources`,
      `use an https:// URL: ssh, git://, http, ext:: and other transports are never allowed (${allowed})`,
    );
  if (!schemes.includes(scheme))
    return refuse('git', 'source-not-allowed', `this registry does not accept ${scheme}:// sources`, allowed);

  if (scheme === 'file') {
    const m = FILE.exec(raw);
    if (!m || hasDotSegment(m[2]!))
      return refuse(
        'git',
        'source-invalid',
        `git location ${shown(raw)} is refused`,
        'write file:///absolute/path or file://./path/relative/to/the/registry: no host, no "." or ".." segments, no %-escapes',
      );
    return m[1] === '/'
      ? { allowed: true, scheme: 'file', path: `/${m[2]}`, relative: false }
      : { allowed: true, scheme: 'file', path: m[2]!, relative: true };
  }

  const plain =
    'write a plain URL like https://host/owner/repo.git: no user name or password, query, fragment, "." or "..", spaces or %-escapes';
  const m = HTTPS.exec(raw);
  if (!m || hasDotSegment(m[2]!))
    return refuse('git', 'source-invalid', `git location ${shown(raw)} is refused`, plain);
  if (m[1]!.includes('@'))
    return refuse('git', 'source-invalid', 'a source URL must not contain a user name or password', plain);
  const authority = AUTHORITY.exec(m[1]!);
  const port = authority?.[2] === undefined ? undefined : Number(authority[2]);
  if (!authority || (port !== undefined && (port < 1 || port > 65535)))
    return refuse('git', 'source-invalid', `git location ${shown(raw)} has no valid host`, plain);
  const host = hostKey(port === undefined ? authority[1]! : `${authority[1]}:${port}`);
  if (!hosts.has(host))
    return refuse(
      'git',
      'source-not-allowed',
      `the host ${host} is not one this registry accepts sources from`,
      `${allowed}; move the source there, or ask the operators to add the host to registry.yaml \`sources.hosts\``,
    );
  return { allowed: true, scheme: 'https', url: `https://${host}${m[2]}` };
}

/** The comparable form of a host: lowercase, no final dot, no default port (443). */
function hostKey(host: string): string {
  const m = /^(.*?)(?::([0-9]+))?$/.exec(host.toLowerCase())!;
  const name = m[1]!.endsWith('.') && !m[1]!.startsWith('[') ? m[1]!.slice(0, -1) : m[1]!;
  return m[2] === undefined || Number(m[2]) === 443 ? name : `${name}:${Number(m[2])}`;
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((p) => p === '..' || p === '.');
}

/** The PR gate's form: why `location` is refused, or undefined when registry.yaml allows it. */
export function sourceError(location: Location, config: Pick<RegistryConfig, 'sources'>): SourceRefusal | undefined {
  const verdict = checkSource(location, config.sources);
  if (verdict.allowed) return undefined;
  const { key, rule, message, hint } = verdict;
  return { key, rule, message: `${message} (${hint})`, hint };
}

/** Fetching's form: the URL git is given, relative `file://./` paths resolved against `cwd`; a `SourceFailure` when refused. */
export function sourceUrl(
  location: Location,
  registry: Pick<RegistryConfig, 'sources'>,
  cwd: string,
  where: string,
): SourceUrl {
  const verdict = checkSource(location, registry.sources);
  if (!verdict.allowed) throw new SourceFailure(verdict.message, verdict.rule, { where, hint: verdict.hint });
  const display = 'github' in location ? undefined : (location as { git: string }).git;
  if (verdict.scheme === 'https') return { url: verdict.url, scheme: 'https', display: display ?? verdict.url };
  const path = verdict.relative ? resolve(cwd, verdict.path) : verdict.path;
  if (!isAbsolute(path)) throw new SourceFailure(`cannot resolve ${shown(display)}`, 'source-invalid', { where });
  return { url: `file://${path}`, scheme: 'file', display: display ?? `file://${path}` };
}
