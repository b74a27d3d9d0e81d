// One verdict per edge URL: the PR gate (`sourceError`) and fetching (`sourceUrl`) ask the same `checkSource`.
import { describe, expect, it } from 'vitest';
import { registryConfigFrom } from '../../core/registry-config.js';
import { SourceFailure } from '../../curator/source/errors.js';
import { checkSource, sourceError, sourceUrl } from '../../curator/source/source-url.js';
import type { Location } from '../../schema/types.js';

const both = registryConfigFrom({
  name: 't',
  sources: { schemes: ['https', 'file'], hosts: ['github.com', 'git.example.org:8443'] },
});
const httpsOnly = registryConfigFrom({ name: 't', sources: { schemes: ['https'], hosts: ['github.com'] } });
const noGithub = registryConfigFrom({ name: 't', sources: { schemes: ['https'], hosts: ['gitlab.com'] } });

type Verdict = { url: string } | 'source-invalid' | 'source-not-allowed';

const TABLE: Array<[Location, typeof both, Verdict]> = [
  // user info
  [{ git: 'https://user@github.com/o/r.git' }, both, 'source-invalid'],
  [{ git: 'https://user:secret@github.com/o/r.git' }, both, 'source-invalid'],
  [{ git: 'https://github.com@evil.example/o/r.git' }, both, 'source-invalid'],
  // ports: the default one is the host itself, any other must be listed with the host
  [{ git: 'https://github.com:443/o/r.git' }, both, { url: 'https://github.com/o/r.git' }],
  [{ git: 'https://github.com:8443/o/r.git' }, both, 'source-not-allowed'],
  [{ git: 'https://git.example.org:8443/o/r.git' }, both, { url: 'https://git.example.org:8443/o/r.git' }],
  [{ git: 'https://git.example.org/o/r.git' }, both, 'source-not-allowed'],
  [{ git: 'https://github.com:99999/o/r.git' }, both, 'source-invalid'],
  // host and scheme spellings: case-insensitive, a final dot names the same host
  [{ git: 'https://GitHub.COM/o/r.git' }, both, { url: 'https://github.com/o/r.git' }],
  [{ git: 'HTTPS://github.com/o/r.git' }, both, { url: 'https://github.com/o/r.git' }],
  [{ git: 'https://github.com./o/r.git' }, both, { url: 'https://github.com/o/r.git' }],
  [{ git: 'https://github..com/o/r.git' }, both, 'source-invalid'],
  // transports other than https and file are never allowed
  [{ git: 'ssh://git@github.com/o/r.git' }, both, 'source-not-allowed'],
  [{ git: 'git://github.com/o/r.git' }, both, 'source-not-allowed'],
  [{ git: 'http://github.com/o/r.git' }, both, 'source-not-allowed'],
  [{ git: 'ext::sh -c touch% /tmp/pwned' }, both, 'source-not-allowed'],
  [{ git: 'git@github.com:o/r.git' }, both, 'source-invalid'],
  [{ git: '--upload-pack=touch /tmp/pwned' }, both, 'source-invalid'],
  // file: only without a host, and only when registry.yaml lists the scheme
  [{ git: 'file:///srv/r' }, both, { url: 'file:///srv/r' }],
  [{ git: 'file://./upstream/r' }, both, { url: 'file:///registry/upstream/r' }],
  [{ git: 'file:///srv/r' }, httpsOnly, 'source-not-allowed'],
  [{ git: 'file://host/srv/r' }, both, 'source-invalid'],
  [{ git: 'file://localhost/srv/r' }, both, 'source-invalid'],
  [{ git: 'file:///srv/../etc' }, both, 'source-invalid'],
  // IP literals: registry.yaml lists host names, so no IPv6 literal is ever allowed
  [{ git: 'https://[::1]/o/r.git' }, both, 'source-not-allowed'],
  [{ git: 'https://[::1]:8443/o/r.git' }, both, 'source-not-allowed'],
  // paths: no query, fragment, escapes or dot segments
  [{ git: 'https://github.com/o/r.git?x=1' }, both, 'source-invalid'],
  [{ git: 'https://github.com/o/r.git#main' }, both, 'source-invalid'],
  [{ git: 'https://github.com/o/%72.git' }, both, 'source-invalid'],
  [{ git: 'https://github.com/o/../r.git' }, both, 'source-invalid'],
  // the GitHub shorthand
  [{ github: 'o/r' }, both, { url: 'https://github.com/o/r.git' }],
  [{ github: 'o/r.git' }, both, { url: 'https://github.com/o/r.git' }],
  [{ github: 'o/r' }, noGithub, 'source-not-allowed'],
  [{ github: 'o/..' }, both, 'source-invalid'],
  [{ git: 'github:o/r' }, both, 'source-not-allowed'],
];

function fetchVerdict(location: Location, config: typeof both): Verdict {
  try {
    return { url: sourceUrl(location, config, '/registry', 'x@1.0.0').url };
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFailure);
    return (error as SourceFailure).rule as Verdict;
  }
}

describe('the source allow-list', () => {
  it.each(TABLE.map(([location, config, verdict]) => [JSON.stringify(location), location, config, verdict] as const))(
    '%s',
    (_, location, config, verdict) => {
      const checked = checkSource(location, config.sources);
      expect(checked.allowed ? 'allowed' : checked.rule).toBe(typeof verdict === 'string' ? verdict : 'allowed');
      // The gate and fetching agree with it.
      const gate = sourceError(location, config);
      expect(gate?.rule).toBe(typeof verdict === 'string' ? verdict : undefined);
      expect(fetchVerdict(location, config)).toEqual(verdict);
    },
  );

  it('says what to write instead', () => {
    expect(sourceError({ git: 'ssh://git@github.com/o/r.git' }, both)?.message).toMatch(/use an https:\/\/ URL/);
    expect(sourceError({ git: 'github:o/r' }, both)?.message).toMatch(/github: owner\/repo/);
    expect(sourceError({ git: 'file://host/srv/r' }, both)?.message).toMatch(/file:\/\/\/absolute\/path/);
    expect(sourceError({ git: 'https://evil.example/o/r.git' }, both)?.message).toMatch(
      /host evil\.example is not one.*github\.com, git\.example\.org:8443/,
    );
  });
});
