/** Whether a definition's source location is one registry.yaml allows (hosts and schemes). */
import type { RegistryConfig } from '../../core/registry-config.js';
import type { Location } from '../../schema/types.js';

export interface SourceProblem {
  key: 'github' | 'git';
  message: string;
}

/** Why `location` is not an allowed source, or undefined. */
export function sourceError(location: Location, config: Pick<RegistryConfig, 'sources'>): SourceProblem | undefined {
  const hosts = config.sources.hosts.map((h) => h.toLowerCase());
  const schemes = config.sources.schemes;
  const allowed = `allowed: ${schemes.join(', ')} URLs${hosts.length > 0 ? ` on ${hosts.join(', ')}` : ''}`;
  if ('github' in location) {
    if (!hosts.includes('github.com') || !schemes.includes('https')) {
      return {
        key: 'github',
        message: `this registry does not accept GitHub sources (sources in registry.yaml: ${allowed})`,
      };
    }
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(location.git);
  } catch {
    return {
      key: 'git',
      message: `${JSON.stringify(location.git.slice(0, 80))} is not a URL; write e.g. https://example.org/owner/repo.git`,
    };
  }
  if (url.username || url.password)
    return { key: 'git', message: 'a source URL must not contain a user name or password' };
  if (url.protocol === 'file:') {
    if (!schemes.includes('file'))
      return { key: 'git', message: `this registry does not accept file:// sources (${allowed})` };
    return undefined;
  }
  if (url.protocol !== 'https:' || !schemes.includes('https')) {
    return {
      key: 'git',
      message: `the scheme ${url.protocol.replace(/:$/, '')} is not allowed for sources (${allowed})`,
    };
  }
  if (!hosts.includes(url.host.toLowerCase())) {
    return { key: 'git', message: `the host ${url.host} is not one this registry accepts sources from (${allowed})` };
  }
  return undefined;
}
