import { describe, expect, it } from 'vitest';
import { firstLine, reviseLine, unpublishLine } from '../../curator/index/line-rules.js';
import { summarize } from '../../curator/index/summary.js';
import { parsePackages, serializePackages } from '../../curator/index/index-files.js';
import type { PackageDefinition } from '../../schema/types.js';

const def = (version: string, extra: Partial<PackageDefinition> = {}): PackageDefinition => ({
  name: 'alpha',
  version,
  license: 'MIT',
  location: { git: 'file:///x' },
  ref: `v${version}`,
  ...extra,
});
const artifact = {
  sha256: 'a'.repeat(64),
  integrity: `sha256-${Buffer.alloc(32, 0xaa).toString('base64')}`,
  size: 10,
  commit: 'b'.repeat(40),
  asset: 'alpha/alpha-1.0.0.tar.gz',
};

describe('index line rules', () => {
  it('bakes a publish-time override into revision 1', () => {
    const line = firstLine(
      def('1.0.0', { dependencies: { beta: '^1.0.0' } }),
      { reason: 'r', dependencies: { beta: '~1.0.0' }, yanked: true },
      artifact,
      '2024-01-01T00:00:00.000Z',
    );
    expect(line).toMatchObject({ revision: 1, dependencies: { beta: '~1.0.0' }, yanked: true });
    expect(line.history).toBeUndefined();
  });

  it('revises with history, keeps the tarball fields, and skips a revision that changes nothing', () => {
    const one = firstLine(
      def('1.0.0', { dependencies: { beta: '^1.0.0' } }),
      undefined,
      artifact,
      '2024-01-01T00:00:00.000Z',
    );
    const two = reviseLine(
      one,
      { dependencies: { beta: '>=1.0.0 <1.5.0' } },
      'beta 1.5 broke it',
      '2024-02-01T00:00:00.000Z',
    )!;
    expect(two).toMatchObject({
      revision: 2,
      dependencies: { beta: '>=1.0.0 <1.5.0' },
      sha256: one.sha256,
      publishedAt: one.publishedAt,
    });
    expect(two.history).toEqual([
      { revision: 1, dependencies: { beta: '^1.0.0' }, reason: 'beta 1.5 broke it', at: '2024-02-01T00:00:00.000Z' },
    ]);
    const three = reviseLine(
      two,
      { dependencies: two.dependencies, yanked: true },
      'broken',
      '2024-03-01T00:00:00.000Z',
    )!;
    expect(three.revision).toBe(3);
    expect(three.history).toHaveLength(2);
    expect(
      reviseLine(three, { dependencies: { beta: '>=1.0.0 <1.5.0' }, yanked: true }, 'same', '2024-04-01T00:00:00.000Z'),
    ).toBeUndefined();
    const gone = unpublishLine(three, 'leaked a secret', '2024-05-01T00:00:00.000Z');
    expect(gone).toMatchObject({
      revision: 3,
      unpublished: { at: '2024-05-01T00:00:00.000Z', reason: 'leaked a secret' },
    });
  });

  it('summarizes: descriptive fields follow the highest version, latest skips yanked, prerelease and unpublished', () => {
    const l1 = firstLine(def('1.0.0'), undefined, artifact, 't');
    const l2 = firstLine(def('2.0.0'), undefined, artifact, 't');
    let s = summarize(
      undefined,
      [l1],
      '2024-01-01T00:00:00.000Z',
      def('1.0.0', { description: 'one', owners: ['alice'] }),
    );
    s = summarize(s, [l1, l2], '2024-01-02T00:00:00.000Z', def('2.0.0', { description: 'two' }));
    const backport = firstLine(def('1.0.1'), undefined, artifact, 't');
    s = summarize(
      s,
      [l1, l2, backport],
      '2024-01-03T00:00:00.000Z',
      def('1.0.1', { description: 'backport', owners: ['mallory'] }),
    );
    expect(s).toEqual({
      name: 'alpha',
      description: 'two',
      license: 'MIT',
      owners: ['alice'],
      latest: '2.0.0',
      versions: 3,
      updatedAt: '2024-01-03T00:00:00.000Z',
    });
    const pre = firstLine(def('3.0.0-rc.1'), undefined, artifact, 't');
    s = summarize(s, [l1, { ...l2, yanked: true, deprecated: 'x' }, backport, pre], '2024-01-04T00:00:00.000Z');
    expect(s.latest).toBe('1.0.1');
    s = summarize(
      s,
      [unpublishLine(l1, 'r', 't'), unpublishLine(l2, 'r', 't'), unpublishLine(backport, 'r', 't')],
      '2024-01-05T00:00:00.000Z',
    );
    expect(s).toMatchObject({ latest: null, versions: 0 });
  });

  it('serializes packages.json to stable, schema-valid bytes', () => {
    const text = serializePackages([
      { name: 'zeta', latest: null, versions: 0 },
      { name: 'alpha', latest: '1.0.0', versions: 1 },
    ]);
    expect(text).toBe(
      '{"format":2,"packages":[\n{"latest":"1.0.0","name":"alpha","versions":1},\n{"latest":null,"name":"zeta","versions":0}\n]}\n',
    );
    expect(parsePackages(text).packages.map((p) => p.name)).toEqual(['alpha', 'zeta']);
    expect(() => parsePackages('{"format":1,"packages":[]}')).toThrow(/schema/);
  });
});

describe('index serialization', () => {
  it('writes exactly the canonical form (canonical JSON lines sorted by SemVer precedence), whatever the line holds', async () => {
    const { serializeIndexFile, serializeIndexLine } = await import('../../core/index-line.js');
    const { canonicalJson } = await import('../../core/canonical-json.js');
    const { compareVersions } = await import('../../core/versions.js');
    const semver = (await import('semver')).default;
    const base = firstLine(
      def('1.0.0', { dependencies: { zeta: '^1', alpha: '>=1 <2', 'm-x': '*' } }),
      undefined,
      artifact,
      '2024-01-01T00:00:00.000Z',
    );
    const lines = [
      base,
      {
        ...base,
        version: '1.0.0-rc.1',
        contentHash: 'c'.repeat(64),
        yanked: true,
        deprecated: 'use "2.0" \u2028 now ✓',
      },
      unpublishLine({ ...base, version: '10.0.0' }, 'why\n"quoted"', '2024-01-02T00:00:00.000Z'),
      reviseLine({ ...base, version: '2.0.0' }, { dependencies: {}, yanked: true }, 'r', '2024-01-03T00:00:00.000Z')!,
      { ...base, version: '1.0.0-alpha', dependencies: {} },
      { ...base, version: '1.0.0-alpha.beta' },
      { ...base, version: '0.0.1' },
    ];
    // A key the schema does not know (a newer writer's field) takes the general path.
    const unknown = { ...base, version: '3.0.0', zzz: { b: 1, a: [2, { d: 3, c: 4 }] } } as typeof base;
    lines.push(unknown);
    for (const line of lines) expect(serializeIndexLine(line)).toBe(canonicalJson(line));
    const canonical = [...lines]
      .sort((a, b) => semver.compare(a.version, b.version))
      .map((l) => `${canonicalJson(l)}\n`)
      .join('');
    expect(serializeIndexFile(lines)).toBe(canonical);
    const versions = [
      '1.0.0',
      '1.0.0-rc.1',
      '10.0.0',
      '2.0.0',
      '1.0.0-alpha',
      '0.0.1',
      '1.10.0',
      '1.9.0',
      '999999999999999.0.0',
    ];
    for (const a of versions)
      for (const b of versions) expect(compareVersions(a, b), `${a} ${b}`).toBe(semver.compare(a, b));
  });
});
