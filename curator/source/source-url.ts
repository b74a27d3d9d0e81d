/** Turn a definition's `location` into the one URL git may fetch, enforcing registry.yaml's allowed schemes and hosts. */
import { isAbsolute, resolve } from 'node:path';
import { shown } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { Location } from '../../schema/types.js';
import { SourceFailure } from './errors.js';

export interface SourceUrl {
  /** What git is given. */
  url: string;
  scheme: 'https' | 'file';
  /** What people are shown (the location as written for relative file sources). */
  display: string;
}

const GITHUB = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;
// Host, optional port, then a path of plain characters: no credentials (@), query, fragment, spaces or escapes.
const HTTPS = /^https:\/\/([a-z0-9.-]+(?::[0-9]{1,5})?)(\/[A-Za-z0-9._~+/-]*)$/;
const FILE = /^file:\/\/(\/|\.\/)([A-Za-z0-9._~+/-]*)$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** The URL for `location`, or a `SourceFailure` when the registry does not allow it. */
export function sourceUrl(location: Location, registry: RegistryConfig, cwd: string, where: string): SourceUrl {
  const { schemes, hosts } = registry.sources;
  if ('github' in location) {
    const m = typeof location.github === 'string' ? GITHUB.exec(location.github) : null;
    if (!m || m[2] === '.' || m[2] === '..') {
      throw new SourceFailure(`github location ${shown(location.github)} is not owner/repo`, 'source-invalid', {
        where,
        hint: 'write `github: owner/repo`',
      });
    }
    if (!schemes.includes('https') || !hosts.includes('github.com')) {
      throw new SourceFailure('this registry does not accept sources on github.com', 'source-not-allowed', {
        where,
        hint: `allowed: schemes ${schemes.join(', ') || '(none)'}, hosts ${hosts.join(', ') || '(none)'} (registry.yaml \`sources\`)`,
      });
    }
    const repo = m[2]!.endsWith('.git') ? m[2]! : `${m[2]}.git`;
    const url = `https://github.com/${m[1]}/${repo}`;
    return { url, scheme: 'https', display: url };
  }
  const raw = (location as { git?: unknown }).git;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048 || CONTROL.test(raw)) {
    throw new SourceFailure(`git location ${shown(raw)} is not a URL`, 'source-invalid', {
      where,
      hint: 'write `git: https://host/owner/repo.git`',
    });
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== 'https' && scheme !== 'file') {
    throw new SourceFailure(
      `git location ${shown(raw)} uses a transport the registry never allows`,
      'source-not-allowed',
      {
        where,
        hint: 'use an https:// URL (ssh, git://, ext:: and other transports are refused)',
      },
    );
  }
  if (!schemes.includes(scheme)) {
    throw new SourceFailure(`this registry does not accept ${scheme}:// sources`, 'source-not-allowed', {
      where,
      hint: `allowed schemes: ${schemes.join(', ') || '(none)'} (registry.yaml \`sources.schemes\`)`,
    });
  }
  if (scheme === 'https') {
    const m = HTTPS.exec(raw);
    if (!m || hasDotSegment(m[2]!)) {
      throw new SourceFailure(`git location ${shown(raw)} is refused`, 'source-invalid', {
        where,
        hint: 'write a plain URL like https://host/owner/repo.git: no user name or password, query, fragment, "..", spaces or %-escapes',
      });
    }
    if (!hosts.includes(m[1]!)) {
      throw new SourceFailure(`source host ${shown(m[1])} is not allowed by this registry`, 'source-not-allowed', {
        where,
        hint: `allowed hosts: ${hosts.join(', ') || '(none)'}; move the source there, or ask the operators to add the host to registry.yaml \`sources.hosts\``,
      });
    }
    return { url: raw, scheme: 'https', display: raw };
  }
  const m = FILE.exec(raw);
  if (!m || hasDotSegment(m[2]!)) {
    throw new SourceFailure(`git location ${shown(raw)} is refused`, 'source-invalid', {
      where,
      hint: 'write file:///absolute/path or file://./path/relative/to/the/registry, without ".." segments',
    });
  }
  const path = m[1] === '/' ? `/${m[2]}` : resolve(cwd, m[2]!);
  if (!isAbsolute(path)) throw new SourceFailure(`cannot resolve ${shown(raw)}`, 'source-invalid', { where });
  return { url: `file://${path}`, scheme: 'file', display: raw };
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((p) => p === '..' || p === '.');
}
