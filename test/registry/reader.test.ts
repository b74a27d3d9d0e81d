// One bad file per rule the gate applies to a single file: the reader, the gate (as a pull request and
// as a whole registry) and curate all refuse it, so what the gate refuses can never be published.
import { TEST_KEY } from '../helpers/keys.js';
import { describe, expect, it } from 'vitest';
import { curate } from '../../curator/curate/curate.js';
import { parseDefinition, parseRegistrySettings } from '../../curator/registry/parse.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { validateRepo } from '../../curator/validate/run-on-repo.js';
import { createFixture } from '../curate/fixture.js';
import { gitIn } from '../helpers/git.js';
import { at, definition, EXAMPLES } from './bad-files.js';

const REGISTRY_YAML =
  `publicKey: ${TEST_KEY.publicKey}\n` +
  'name: test-registry\nsources:\n  schemes: [https, file]\n  hosts: [github.com]\nlimits:\n  maxPackagesPerPr: 100\n';

describe('the registry reader', () => {
  it('refuses every per-file bad example in the reader, the gate and curate alike', async () => {
    const f = await createFixture();
    const url = await f.source('good', ['1.0.0']);
    await f.registry.write('registry.yaml', REGISTRY_YAML);
    await f.registry.write(at('good'), definition(url, 'good'));
    const base = await f.registry.commit('registry with one package');

    const config = parseRegistrySettings(REGISTRY_YAML).config;
    await f.registry.write(at('control'), definition(url, 'control'));
    for (const example of EXAMPLES) {
      if ('content' in example) {
        const bytes = example.content(url);
        await f.registry.write(example.path, bytes);
        // (c) the reader on its own, bytes and path in
        const parsed = parseDefinition(bytes, example.path, config);
        expect(
          parsed.problems.map((p) => p.rule),
          example.path,
        ).toContain(example.rule);
      } else if (example.rule === 'symlink') await f.registry.link(example.path, '../good/1.0.0.yaml');
    }
    await f.registry.git('add', '-A');
    const submodule = EXAMPLES.find((e) => e.rule === 'submodule')!;
    const pinned = await gitIn(f.registry.dir, '-C', new URL(url).pathname, 'rev-parse', 'HEAD');
    await f.registry.git('update-index', '--add', '--cacheinfo', `160000,${pinned},${submodule.path}`);
    await gitIn(f.registry.dir, 'commit', '-q', '-m', 'Merge the bad pull request');
    const head = await f.registry.head();

    // (a) the gate: the merge as one pull request, and the whole registry after it
    const asPullRequest = await validateRepo({ repo: f.registry.dir, base, head, author: 'alice', offline: true });
    const wholeRegistry = await validateRepo({ repo: f.registry.dir, head });
    for (const report of [asPullRequest, wholeRegistry]) {
      for (const example of EXAMPLES) {
        const found = report.problems.filter((p) => p.file === example.path && p.severity === 'error');
        expect(
          found.map((p) => p.rule),
          example.path,
        ).toContain(example.rule);
      }
      expect(report.problems.filter((p) => p.file === at('control') || p.file === at('good'))).toEqual([]);
    }

    // (b) curate: every bad file refused and reported with its rule; the merge is refused whole, so the good
    // control that came with it waits (the good version merged before is published)
    const report = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [createFsStore(f.storeDir)],
    });
    expect(report.published.map((p) => `${p.name}@${p.version}`).sort()).toEqual(['good@1.0.0']);
    expect(report.refused.find((r) => r.file === at('control'))!.message).toMatch(/refused with the rest of its merge/);
    for (const example of EXAMPLES) {
      const refusals = report.refused.filter((r) => r.file === example.path);
      expect(refusals, example.path).toEqual([expect.objectContaining({ commit: head })]);
      if ('content' in example && example.rule !== 'file-layout')
        expect(refusals[0]!.message, example.path).toContain(`[${example.rule}]`);
    }
    expect(report.refused).toHaveLength(EXAMPLES.length + 1);
    expect(report.indexCommit).toBeDefined();
  });

  it('passes the nearest file to every per-file bad example: the reader refuses the fault, not the file', async () => {
    const config = parseRegistrySettings(REGISTRY_YAML).config;
    const url = 'file:///srv/sources/good';
    for (const example of EXAMPLES) {
      const path = example.nearest.path ?? example.path;
      const nearest = parseDefinition(example.nearest.content(url), path, config);
      expect(nearest.problems, `${example.rule}: ${path}`).toEqual([]);
      if ('content' in example) {
        const bad = parseDefinition(example.content(url), example.path, config);
        expect(
          bad.problems.map((p) => p.rule),
          example.rule,
        ).toContain(example.rule);
      }
    }
  });
});
