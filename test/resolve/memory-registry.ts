/** A Registry over lines held in memory, for resolver tests with plain data. */
import { integrityFromHex } from '../../core/hash.js';
import type { IndexLine } from '../../schema/types.js';
import type { Registry } from '../../client/types.js';

export type Spec = Record<string, Record<string, Partial<IndexLine> & { deps?: Record<string, string> }>>;

/** A complete index line for `name@version`, with `extra` on top. */
export function line(name: string, version: string, extra: Partial<IndexLine> = {}): IndexLine {
  const hex = '0'.repeat(63) + '1';
  return {
    name,
    version,
    dependencies: {},
    license: 'MIT',
    sha256: hex,
    integrity: integrityFromHex(hex),
    size: 1,
    asset: `${name}/${name}-${version}.tar.gz`,
    commit: 'a'.repeat(40),
    ref: `v${version}`,
    publishedAt: '2024-01-01T00:00:00Z',
    revision: 1,
    ...extra,
  };
}

/** `{ a: { '1.0.0': { deps: { b: '^1.0.0' } } } }` → a Registry; `reads` counts lines() calls per package. */
export function memoryRegistry(spec: Spec): Registry & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    source: { description: 'memory', readFile: async () => undefined },
    config: { format: 2, name: 'test', assetBase: 'assets' },
    snapshot: { version: 1, commit: 'c'.repeat(40), createdAt: '2024-01-01T00:00:00Z' },
    trustedKey: undefined,
    async lines(name) {
      reads.set(name, (reads.get(name) ?? 0) + 1);
      const versions = spec[name] ?? {};
      return Object.entries(versions).map(([version, { deps, ...rest }]) =>
        line(name, version, { dependencies: deps ?? {}, ...rest }),
      );
    },
    async packages() {
      return { format: 2, packages: [] };
    },
    metadataFiles: async () => new Map(),
    readTarget: async () => undefined,
    assets: async () => (asset: string) => `assets/${asset}`,
  };
}
