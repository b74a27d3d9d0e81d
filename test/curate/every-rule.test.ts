// Every rule of the gate (docs/validation.md's table) has a bad example here or in test/registry/bad-files.ts.
// Each example is a real change to a real registry: the PR gate refuses it, and when it reaches main anyway
// (merged without the gate, or racing another PR), curate refuses it too and publishes nothing of it.
import { TEST_KEY } from '../helpers/keys.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { curate } from '../../curator/curate/curate.js';
import { fixedRecords } from '../../curator/curate/merge-gate.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { validateRepo } from '../../curator/validate/run-on-repo.js';
import { gitIn } from '../helpers/git.js';
import { definition, EXAMPLES } from '../registry/bad-files.js';
import { createFixture, type Fixture } from './fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Scenario {
  rule: string;
  /** The rule the PR gate names, when it differs (a race the PR gate sees differently). */
  gateRule?: string;
  author: string;
  /** Merged without any pull request record: only the rules that need none apply at merge time. */
  noRecord?: boolean;
  /** Extra state merged (and curated) before the pull request; `stale`: the PR branched off before it. */
  before?: (w: Writer) => Promise<void>;
  stale?: boolean;
  change: (w: Writer) => Promise<void>;
  /** The nearest change that passes (by `author` when given, else the scenario's), off the same base. */
  nearest: { author?: string; change: (w: Writer) => Promise<void> };
  /** The merge's committer date (default: a minute after the last commit). */
  mergedAt?: string;
}

interface Writer {
  f: Fixture;
  url: string;
  def(name: string, version: string, fields?: Record<string, unknown>): Promise<void>;
}

const REGISTRY = stringify({
  name: 'test-registry',
  publicKey: TEST_KEY.publicKey,
  sources: { schemes: ['https', 'file'], hosts: ['github.com'] },
  trustees: ['tina'],
  scopes: { acme: ['alice'] },
  limits: { maxPackagesPerPr: 2 },
  versions: { prereleases: false, upperBounds: true },
});

const SCENARIOS: Scenario[] = [
  {
    rule: 'published-immutable',
    gateRule: 'version-exists',
    author: 'alice',
    stale: true,
    before: (w) => w.def('beta', '1.0.0'),
    change: (w) => w.def('beta', '1.0.0', { description: 'Another beta' }),
    nearest: { change: (w) => w.def('beta', '1.0.1') },
  },
  {
    rule: 'version-unpublished',
    author: 'alice',
    before: async (w) => {
      await w.def('beta', '1.0.0');
      await w.f.registry.commit('Publish beta 1.0.0');
      await curate({
        signingKeyPem: TEST_KEY.privateKeyPem,
        repoDir: w.f.registry.dir,
        stores: [createFsStore(w.f.storeDir)],
      });
      await w.f.registry.git('rm', '-q', 'packages/beta/1.0.0.yaml');
    },
    change: (w) => w.def('beta', '1.0.0'),
    nearest: { change: (w) => w.def('beta', '1.0.1') },
  },
  {
    rule: 'placeholder-not-empty',
    author: 'alice',
    change: (w) => w.f.registry.write('packages/.gitkeep', 'anything\n'),
    nearest: { change: (w) => w.f.registry.write('packages/.gitkeep', '') },
  },
  {
    rule: 'dependency-missing',
    author: 'alice',
    change: (w) => w.def('beta', '1.0.0', { dependencies: { nope: '^1.0.0' } }),
    nearest: { change: (w) => w.def('beta', '1.0.0', { dependencies: { alpha: '^1.0.0' } }) },
  },
  {
    rule: 'dependency-unsatisfiable',
    author: 'alice',
    change: (w) => w.def('beta', '1.0.0', { dependencies: { alpha: '^2.0.0' } }),
    nearest: { change: (w) => w.def('beta', '1.0.0', { dependencies: { alpha: '^1.0.0' } }) },
  },
  {
    rule: 'dependency-cycle',
    author: 'alice',
    change: (w) => w.def('beta', '1.0.0', { dependencies: { beta: '^1.0.0' } }),
    nearest: { change: (w) => w.def('beta', '1.0.0', { dependencies: { alpha: '^1.0.0' } }) },
  },
  {
    // beta needs alpha 1.0.x; the new gamma needs alpha ^1.1.0 and beta: each range matches, together none.
    rule: 'unsolvable',
    author: 'alice',
    before: async (w) => {
      await w.def('alpha', '1.1.0');
      await w.def('beta', '1.0.0', { dependencies: { alpha: '~1.0.0' } });
    },
    change: (w) => w.def('gamma', '1.0.0', { dependencies: { alpha: '^1.1.0', beta: '^1.0.0' } }),
    nearest: { change: (w) => w.def('gamma', '1.0.0', { dependencies: { alpha: '~1.0.0', beta: '^1.0.0' } }) },
  },
  {
    rule: 'version-skipped',
    author: 'alice',
    change: (w) => w.def('alpha', '1.5.0'),
    nearest: { change: (w) => w.def('alpha', '1.1.0') },
  },
  {
    rule: 'first-version',
    author: 'alice',
    change: (w) => w.def('beta', '3.0.0'),
    nearest: { change: (w) => w.def('beta', '1.0.0') },
  },
  {
    rule: 'prerelease',
    author: 'alice',
    change: (w) => w.def('alpha', '1.1.0-beta.1'),
    nearest: { change: (w) => w.def('alpha', '1.1.0') },
  },
  {
    rule: 'upper-bound',
    author: 'alice',
    change: (w) => w.def('beta', '1.0.0', { dependencies: { alpha: '>=1.0.0' } }),
    nearest: { change: (w) => w.def('beta', '1.0.0', { dependencies: { alpha: '>=1.0.0 <2.0.0' } }) },
  },
  {
    rule: 'breaks-dependents',
    author: 'alice',
    before: (w) => w.def('beta', '1.0.0', { dependencies: { alpha: '^1.0.0' } }),
    change: (w) => w.f.registry.write('overrides/alpha/1.0.0.yaml', stringify({ reason: 'a bug', yanked: true })),
    nearest: {
      change: (w) =>
        w.f.registry.write('overrides/alpha/1.0.0.yaml', stringify({ reason: 'old', deprecated: 'use 1.1.0' })),
    },
  },
  {
    rule: 'owner-consent',
    author: 'alice',
    change: (w) => w.def('beta', '1.0.0', { owners: ['alice', 'bob'] }),
    nearest: { change: (w) => w.def('beta', '1.0.0', { owners: ['alice'] }) },
  },
  {
    rule: 'owners-required',
    author: 'alice',
    change: (w) => w.def('beta', '1.0.0', { owners: undefined }),
    nearest: { change: (w) => w.def('beta', '1.0.0', { owners: ['alice'] }) },
  },
  {
    rule: 'not-owner',
    author: 'mallory',
    change: (w) => w.def('alpha', '1.1.0', { owners: undefined }),
    nearest: { author: 'alice', change: (w) => w.def('alpha', '1.1.0', { owners: undefined }) },
  },
  {
    rule: 'owner-continuity',
    gateRule: 'not-owner',
    author: 'mallory',
    noRecord: true,
    change: (w) => w.def('alpha', '1.1.0', { owners: ['mallory'] }),
    nearest: { author: 'alice', change: (w) => w.def('alpha', '1.1.0') },
  },
  {
    rule: 'scope-owner',
    author: 'mallory',
    change: (w) => w.def('@acme/thing', '1.0.0', { owners: ['mallory'] }),
    nearest: { author: 'alice', change: (w) => w.def('@acme/thing', '1.0.0') },
  },
  {
    rule: 'name-reserved',
    author: 'alice',
    change: (w) => w.def('admin', '1.0.0'),
    nearest: { change: (w) => w.def('admin-tools', '1.0.0') },
  },
  {
    rule: 'name-branch',
    author: 'tina',
    change: (w) => w.def('gh-pages', '1.0.0', { owners: ['tina'] }),
    nearest: { change: (w) => w.def('gh-pages-kit', '1.0.0', { owners: ['tina'] }) },
  },
  {
    rule: 'name-similar',
    author: 'alice',
    change: (w) => w.def('alpah', '1.0.0'),
    nearest: { change: (w) => w.def('alphabet', '1.0.0') },
  },
  {
    rule: 'trustee-required',
    author: 'alice',
    change: (w) =>
      w.f.registry.write('overrides/alpha/1.0.0.yaml', stringify({ reason: 'wider', dependencies: { beta: '*' } })),
    nearest: {
      change: (w) =>
        w.f.registry.write('overrides/alpha/1.0.0.yaml', stringify({ reason: 'old', deprecated: 'use 1.1.0' })),
    },
  },
  {
    rule: 'unpublish-window',
    author: 'alice',
    change: (w) => w.f.registry.git('rm', '-q', 'packages/alpha/1.0.0.yaml').then(() => undefined),
    mergedAt: '2024-02-01T00:00:00Z',
    nearest: {
      author: 'tina',
      change: (w) => w.f.registry.git('rm', '-q', 'packages/alpha/1.0.0.yaml').then(() => undefined),
    },
  },
  {
    rule: 'override-orphan',
    author: 'alice',
    change: (w) => w.f.registry.write('overrides/alpha/9.9.9.yaml', stringify({ reason: 'why', yanked: true })),
    nearest: {
      change: (w) => w.f.registry.write('overrides/alpha/1.0.0.yaml', stringify({ reason: 'why', yanked: true })),
    },
  },
  {
    rule: 'outside-folders',
    author: 'mallory',
    change: (w) => w.f.registry.write('registry.yaml', `${REGISTRY}maintainers: [mallory]\n`),
    nearest: {
      author: 'tina',
      change: (w) => w.f.registry.write('registry.yaml', `${REGISTRY}maintainers: [mallory]\n`),
    },
  },
  {
    rule: 'too-many-packages',
    author: 'mallory',
    change: async (w) => {
      for (const name of ['one', 'two', 'three']) await w.def(name, '1.0.0', { owners: ['mallory'] });
    },
    nearest: {
      change: async (w) => {
        for (const name of ['one', 'two']) await w.def(name, '1.0.0', { owners: ['mallory'] });
      },
    },
  },
];

/** The rule ids of docs/validation.md's table. */
function documentedRules(): string[] {
  const text = readFileSync(join(ROOT, 'docs', 'validation.md'), 'utf8');
  const table = text.slice(text.indexOf('| rule id |'), text.indexOf('\n\n', text.indexOf('| rule id |')));
  return [...table.matchAll(/^\| (`[^|]+`) \|/gm)].flatMap((m) =>
    [...m[1]!.matchAll(/`([a-z-]+)`/g)].map((x) => x[1]!),
  );
}

async function registryWith() {
  const f = await createFixture();
  const url = await f.source('alpha', ['1.0.0', '1.1.0']);
  const w: Writer = {
    f,
    url,
    async def(name, version, fields = {}) {
      await f.registry.write(`packages/${name}/${version}.yaml`, definition(url, name, { version, ...fields }));
    },
  };
  await f.registry.write('registry.yaml', REGISTRY);
  await w.def('alpha', '1.0.0');
  await f.registry.commit('Publish alpha 1.0.0');
  const store = createFsStore(f.storeDir);
  expect(
    (await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] })).published,
  ).toHaveLength(1);
  return { f, w, store };
}

describe('every rule of the gate, at the PR and at merge time', () => {
  it('has a bad example for every rule docs/validation.md lists', () => {
    const covered = new Set([
      ...SCENARIOS.flatMap((s) => [s.rule, s.gateRule ?? s.rule]),
      ...EXAMPLES.map((e) => e.rule),
    ]);
    expect(documentedRules().filter((rule) => !covered.has(rule))).toEqual([]);
    expect(documentedRules()).toContain('owner-continuity');
  });

  it.each(SCENARIOS.map((s) => [s.rule, s] as const))('%s: the nearest change passes', async (_rule, scenario) => {
    const { f, w, store } = await registryWith();
    if (scenario.before !== undefined) {
      await scenario.before(w);
      await f.registry.commit('Earlier merge');
      await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    }
    const base = await f.registry.head();
    await gitIn(f.registry.dir, 'checkout', '-q', '-b', 'pr', base);
    await scenario.nearest.change(w);
    const head = await f.registry.commit('The nearest pull request');
    const author = scenario.nearest.author ?? scenario.author;
    const gate = await validateRepo({ repo: f.registry.dir, base, head, author, offline: true });
    expect(
      gate.problems.filter((p) => p.severity === 'error'),
      JSON.stringify(gate.problems),
    ).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => [s.rule, s] as const))('%s', async (_rule, scenario) => {
    const { f, w, store } = await registryWith();
    const forked = await f.registry.head();
    if (scenario.before !== undefined) {
      await scenario.before(w);
      await f.registry.commit('Earlier merge');
      await curate({ signingKeyPem: TEST_KEY.privateKeyPem, repoDir: f.registry.dir, stores: [store] });
    }
    const base = await f.registry.head();
    // The pull request: a branch off main (off an older main when stale), judged against main.
    await gitIn(f.registry.dir, 'checkout', '-q', '-b', 'pr', scenario.stale === true ? forked : base);
    await scenario.change(w);
    const head = await f.registry.commit('The pull request');
    const gate = await validateRepo({ repo: f.registry.dir, base, head, author: scenario.author, offline: true });
    expect(
      gate.problems.filter((p) => p.severity === 'error').map((p) => p.rule),
      JSON.stringify(gate.problems),
    ).toContain(scenario.gateRule ?? scenario.rule);

    // Merged anyway, as its own change on main (squash-style, the PR's final state).
    await gitIn(f.registry.dir, 'checkout', '-q', 'main');
    await gitIn(f.registry.dir, 'checkout', 'pr', '--', '.');
    const deleted = await gitIn(f.registry.dir, 'diff', '--name-only', '--diff-filter=D', 'HEAD', 'pr');
    for (const path of deleted.split('\n').filter(Boolean)) await f.registry.git('rm', '-q', path);
    const merged = await f.registry.commit('Merge the pull request', scenario.mergedAt);
    const before = await f.indexCommits();
    const report = await curate({
      signingKeyPem: TEST_KEY.privateKeyPem,
      repoDir: f.registry.dir,
      stores: [store],
      ...(scenario.noRecord === true
        ? {}
        : { pullRequests: fixedRecords({ author: scenario.author, approvers: [], trusteeApproved: false }) }),
    });
    expect(report.refused.length, JSON.stringify(report)).toBeGreaterThan(0);
    expect(report.refused.every((r) => r.commit === merged)).toBe(true);
    expect(report.refused.map((r) => r.message).join('\n')).toContain(`[${scenario.rule}]`);
    expect(report.published).toEqual([]);
    expect(report.revised).toEqual([]);
    expect(report.unpublished).toEqual([]);
    // The index moved past the refused change (so it is not judged again), and nothing else changed in it.
    expect((await f.indexCommits()).length).toBe(before.length + 1);
  });
});
