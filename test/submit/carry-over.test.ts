// A new version starts from the highest version the registry has: read from GitHub, or from a local clone.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gitIn } from '../helpers/git.js';
import { API, folderListing, packageRepo, rawHeaders, registryClone, registryRepository, run } from './support.js';

/** A published definition, as the registry holds it. */
const published = (version: string, files: string) =>
  [
    'name: left-pad',
    `version: ${version}`,
    'description: Pads strings on the left.',
    'license: MIT',
    'location:',
    '  github: codertocat/left-pad',
    `ref: v${version}`,
    'keywords: [strings, padding]',
    'homepage: https://left-pad.example.org',
    'owners: [Codertocat, octocat]',
    'files:',
    `  include: [${files}]`,
    '',
  ].join('\n');

/** The manifest of the new version: a new description and dependencies, nothing else. */
const MANIFEST =
  'name: left-pad\ndescription: Pads strings on the left, fast.\ndependencies:\n  string-utils: ^2.0.0\n';

describe('granary submit carries over the previous version', () => {
  it('from GitHub: the highest version by SemVer, the manifest winning field by field', async () => {
    const { repo, commit } = await packageRepo({ manifest: MANIFEST, tag: 'v1.11.0' });
    const scope = nock(API)
      .get('/repos/example-org/registry')
      .reply(200, registryRepository())
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad')
      .query({ ref: 'main' })
      .reply(200, folderListing('packages/left-pad', ['1.10.0.yaml', '1.9.0.yaml']))
      .get('/repos/example-org/registry/contents/packages%2Fleft-pad%2F1.10.0.yaml')
      .query({ ref: 'main' })
      .reply(200, published('1.10.0', '"src/**", README.md, LICENSE'), rawHeaders());
    const result = await run(repo.dir, ['submit', '--registry', 'example-org/registry', '--dry-run', '--json'], {
      GITHUB_TOKEN: 'ghp_test',
    });
    scope.done();
    expect(result.code).toBe(0);
    const out = JSON.parse(result.out);
    const expected = {
      name: 'left-pad',
      version: '1.11.0',
      description: 'Pads strings on the left, fast.',
      license: 'MIT',
      location: { github: 'codertocat/left-pad' },
      ref: 'v1.11.0',
      commit,
      dependencies: { 'string-utils': '^2.0.0' },
      keywords: ['strings', 'padding'],
      homepage: 'https://left-pad.example.org',
      owners: ['Codertocat', 'octocat'],
      files: { include: ['src/**', 'README.md', 'LICENSE'] },
    };
    expect(out.definition).toEqual(expected);
    expect(parse(out.content)).toEqual(expected);
    expect(out.carriedOver).toEqual({
      version: '1.10.0',
      fields: ['license', 'location', 'owners', 'files', 'keywords', 'homepage'],
    });
    expect(out.pullRequest).toMatchObject({ base: 'main', registry: 'example-org/registry', dryRun: true });
  });

  it('from a local clone with --registry-dir, flags winning, and says so', async () => {
    const registry = await registryClone({
      'packages/left-pad/1.0.0.yaml': published('1.0.0', '"lib/**"'),
      'packages/left-pad/1.1.0.yaml': published('1.1.0', '"src/**", README.md'),
    });
    const { repo } = await packageRepo({ manifest: MANIFEST, tag: 'v1.2.0', remote: null });
    const result = await run(repo.dir, ['submit', '--registry-dir', registry.dir, '--owner', 'octocat', '--dry-run']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const [yaml] = result.out.split('\n\n');
    expect(parse(yaml!)).toMatchObject({
      version: '1.2.0',
      description: 'Pads strings on the left, fast.',
      owners: ['octocat'],
      // Carried over: no remote is needed for a package the registry already locates.
      location: { github: 'codertocat/left-pad' },
      files: { include: ['src/**', 'README.md'] },
      keywords: ['strings', 'padding'],
    });
    expect(result.out).toContain('carried over from left-pad@1.1.0: license, location, files, keywords, homepage\n');
    expect(result.out).toContain(
      `dry run: would commit packages/left-pad/1.2.0.yaml on the new branch granary/left-pad-1.2.0 of ${registry.dir}`,
    );
    // A dry run writes nothing in the clone.
    expect(await gitIn(registry.dir, 'branch', '--list')).toBe('* main');
  });

  it('keeps the location of the previous version when the remote moved, and warns', async () => {
    const registry = await registryClone({ 'packages/left-pad/1.1.0.yaml': published('1.1.0', '"src/**"') });
    const { repo } = await packageRepo({
      manifest: MANIFEST,
      remote: ['origin', 'https://github.com/someone-else/left-pad.git'],
    });
    const result = await run(repo.dir, ['submit', '--registry-dir', registry.dir, '--dry-run', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.out);
    expect(out.definition.location).toEqual({ github: 'codertocat/left-pad' });
    expect(out.warnings).toEqual([
      'the remote origin is github: someone-else/left-pad but 1.1.0 is at github: codertocat/left-pad: the definition keeps the latter (moving a package needs a trustee)',
    ]);
  });
});
